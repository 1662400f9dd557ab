package dev.headroom.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The limiting factor of a group and its evidence.
 *
 * @param factor   what limits
 * @param onset    the lowest load where it shows, or null for {@link Factor#NONE_OBSERVED}
 * @param evidence sentences with the numbers: the factor's own first, then other signs seen
 */
public record Limit(Factor factor, Double onset, List<String> evidence) {

    public Limit {
        Objects.requireNonNull(factor, "factor");
        evidence = List.copyOf(evidence);
    }
}
