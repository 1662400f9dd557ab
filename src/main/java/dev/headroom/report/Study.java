package dev.headroom.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every curve of the given results folders, grouped the way charts and tables show them. */
public record Study(List<SweepResults> sweeps, List<Curve> curves) {

    public Study {
        sweeps = List.copyOf(sweeps);
        curves = List.copyOf(curves);
    }

    /** Groups each sweep's capacity rows into curves and attaches analysis.json's verdicts. */
    public static Study of(List<SweepResults> sweeps) throws IOException {
        List<Curve> curves = new ArrayList<>();
        for (SweepResults s : sweeps) {
            Map<List<Object>, List<Row>> groups = new LinkedHashMap<>();
            for (Row r : s.capacity()) {
                List<Object> key = List.of(r.text("config").isEmpty() ? "default" : r.text("config"),
                        r.text("workload"), r.flag("predicted"), r.text("gpu"), r.text("model"), r.has("rate"));
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<List<Object>, List<Row>> g : groups.entrySet()) curves.add(curve(s, sweeps, g.getKey(), g.getValue()));
        }
        return new Study(sweeps, curves);
    }

    private static Curve curve(SweepResults s, List<SweepResults> all, List<Object> key, List<Row> rows) throws IOException {
        String config = (String) key.get(0);
        String workload = (String) key.get(1);
        boolean predicted = (Boolean) key.get(2);
        String gpu = (String) key.get(3);
        boolean byRate = (Boolean) key.get(5);
        TreeMap<Double, List<Row>> byLoad = new TreeMap<>();
        List<Row> unusable = new ArrayList<>();
        for (Row r : rows) {
            String status = r.text("status");
            double load = r.num(byRate ? "rate" : "concurrency");
            boolean usable = (status.isEmpty() || status.equals("ok") || status.equals("stopped_early"))
                    && !Double.isNaN(load) && !Double.isNaN(r.num("output_throughput"));
            if (usable) byLoad.computeIfAbsent(load, k -> new ArrayList<>()).add(r);
            else unusable.add(r);
        }
        List<Point> points = byLoad.entrySet().stream().map(e -> new Point(e.getKey(), e.getValue())).toList();
        Verdict verdict = s.analysisIfAny().flatMap(a -> a.verdict(config, workload, predicted, gpu))
                .or(() -> all.stream().flatMap(o -> o.analysisIfAny().stream())
                        .flatMap(a -> a.verdict(config, workload, predicted, gpu).stream()).findFirst())
                .orElse(null);
        boolean simulated = !predicted && !points.isEmpty()
                && RunInfo.read(s.dir().resolve(points.get(0).first().text("dir"))).simulated();
        return new Curve(s, config, workload, predicted, simulated, gpu, (String) key.get(4), byRate, points,
                unusable, verdict);
    }

    /** Curves that share config, workload and GPU (a measured one and its prediction), in first-seen order. */
    public Map<String, List<Curve>> panels() {
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        for (Curve c : curves) out.computeIfAbsent(c.panel(), k -> new ArrayList<>()).add(c);
        out.values().forEach(list -> list.sort(Comparator.comparing(Curve::predicted)));
        return out;
    }

    /** Whether any sweep lacks analysis.json. */
    public List<SweepResults> unanalyzed() {
        return sweeps.stream().filter(s -> s.analysisIfAny().isEmpty()).toList();
    }
}
