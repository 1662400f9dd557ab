package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** The verdict of the group (config, workload, predicted, GPU when both name one), if analysis.json has one. */
    public Optional<Verdict> verdict(String config, String workload, boolean predicted, String gpu) {
        return groups.stream()
                .filter(v -> v.config().equals(config) && v.workload().equals(workload) && v.predicted() == predicted)
                .filter(v -> v.gpu().isEmpty() || gpu.isEmpty() || v.gpu().equals(gpu))
                .findFirst();
    }
}
