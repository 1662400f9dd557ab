package dev.headroom.analysis;

import dev.headroom.metrics.Slo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The hand-written sweep and run folders under src/test/resources/analysis, with known answers. */
final class Fixtures {

    static final Path ROOT = Path.of("src/test/resources/analysis");

    private Fixtures() {
    }

    static Path dir(String name) {
        return ROOT.resolve(name);
    }

    /** Analyses the named fixture folders with the given --slo (or null) and a 1% error ceiling. */
    static Analysis analyze(String slo, String... names) {
        List<Path> dirs = Arrays.stream(names).map(Fixtures::dir).toList();
        return Analysis.of(Inputs.load(dirs), slo == null ? null : Slo.parse(slo), 0.01);
    }

    /** The only group of one fixture under its default SLO. */
    static GroupResult only(String name) {
        List<GroupResult> groups = analyze(null, name).groups();
        if (groups.size() != 1) throw new AssertionError(name + " has " + groups.size() + " groups");
        return groups.get(0);
    }
}
