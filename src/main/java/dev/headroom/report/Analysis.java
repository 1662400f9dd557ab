package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.results.GroupKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parts of {@code analysis.json} a report shows, read as a JSON tree (docs/formats.md). */
public record Analysis(List<Verdict> groups, List<JsonNode> comparison) {

    /** Reads the tree of one analysis.json. */
    static Analysis of(JsonNode root) {
        List<Verdict> groups = new ArrayList<>();
        root.path("groups").forEach(g -> groups.add(Verdict.of(g, root)));
        if (groups.isEmpty() && root.has("verdict")) groups.add(Verdict.of(root, root));
        List<JsonNode> comparison = new ArrayList<>();
        root.path("comparison").forEach(comparison::add);
        return new Analysis(List.copyOf(groups), List.copyOf(comparison));
    }

    /** The verdict of the group, if analysis.json judged it. */
    public Optional<Verdict> verdict(GroupKey key) {
        return groups.stream().filter(v -> v.judged(key)).findFirst();
    }
}
