package dev.headroom.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.sweep.GridPoint;
import dev.headroom.sweep.GridSpec;
import dev.headroom.sweep.PointStatus;
import dev.headroom.sweep.SweepFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A load pod's sweep folder (one config, run against its server at {@code --url}, so labelled {@code default})
 * folded into the GPU class's study folder under the config's own label: each point's folder copied as it is
 * (requests.jsonl, summary.json, telemetry.csv, run.yaml), its capacity.csv row and sweep.json entry recorded
 * from the pod's own status, summary and error, and the ramps it stopped early. Nothing is recomputed: the
 * records are the pod's, byte for byte.
 */
final class StudyMerge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyMerge() {}

    /**
     * @param podSweep      the pod's sweep folder, unpacked
     * @param configColumns the config's server columns on this GPU class (capacity.csv part 2)
     * @return the points recorded
     */
    @SuppressWarnings("unchecked")
    static int merge(Path podSweep, SweepFolder folder, GridSpec grid, String config, Map<String, Object> configColumns)
            throws IOException {
        Path sweepJson = podSweep.resolve("sweep.json");
        if (!Files.isRegularFile(sweepJson)) throw new IOException("the load pod's records hold no sweep.json");
        Map<String, Object> pod = JSON.readValue(sweepJson.toFile(), Map.class);
        List<GridPoint> points = grid.points(config);
        int recorded = 0;
        for (Map<String, Object> entry : (List<Map<String, Object>>) pod.getOrDefault("points", List.of())) {
            GridPoint p = byName(points, name(String.valueOf(entry.get("dir"))));
            copy(podSweep.resolve(String.valueOf(entry.get("dir"))), folder.pointDir(p));
            PointStatus status = PointStatus.valueOf(String.valueOf(entry.get("status")).toUpperCase(Locale.ROOT));
            folder.record(p, configColumns, Boolean.TRUE.equals(entry.get("predicted")), status,
                    (Map<String, Object>) entry.get("summary"), (String) entry.get("error"));
            recorded++;
        }
        for (Map<String, Object> stop : (List<Map<String, Object>>) pod.getOrDefault("early_stops", List.of())) {
            List<String> skipped = new java.util.ArrayList<>();
            for (String dir : (List<String>) stop.get("skipped")) skipped.add(byName(points, name(dir)).dir());
            folder.earlyStop(config, String.valueOf(stop.get("workload")), String.valueOf(stop.get("reason")), skipped);
        }
        return recorded;
    }

    private static String name(String dir) {
        return dir.substring(dir.lastIndexOf('/') + 1);
    }

    private static GridPoint byName(List<GridPoint> points, String name) throws IOException {
        for (GridPoint p : points) {
            if (p.name().equals(name)) return p;
        }
        throw new IOException("the load pod ran a point this study's grid does not hold: " + name);
    }

    /** Copies a point's folder, replacing one an earlier, unfinished run left. */
    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
