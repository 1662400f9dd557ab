package dev.headroom.analysis;

import dev.headroom.results.Point;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code analysis.json} as docs/formats.md fixes it: the first group's findings on top, then every group. */
public final class AnalysisJson {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private AnalysisJson() {
    }

    /** Writes the analysis to {@code file} (parent folders created), replacing any previous file. */
    public static void write(Path file, Analysis analysis, double maxErrorRate) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, JSON.writeValueAsString(toMap(analysis, maxErrorRate)) + "\n");
    }

    /** The document as ordered maps and lists. */
    public static Map<String, Object> toMap(Analysis analysis, double maxErrorRate) {
        Map<String, Object> m = new LinkedHashMap<>();
        GroupResult first = analysis.groups().isEmpty() ? null : analysis.groups().get(0);
        Map<String, Object> top = first == null ? null : group(first);
        m.put("slo", top == null ? null : top.get("slo"));
        m.put("slo_source", top == null ? null : top.get("slo_source"));
        m.put("max_error_rate", maxErrorRate);
        for (String key : List.of("best", "knee", "max_load_under_slo", "limiting_factor", "recommendation")) {
            m.put(key, top == null ? null : top.get(key));
        }
        m.put("verdict", analysis.verdict());
        m.put("groups", analysis.groups().stream().map(AnalysisJson::group).toList());
        if (!analysis.comparison().isEmpty()) {
            m.put("comparison", analysis.comparison().stream().map(AnalysisJson::difference).toList());
        }
        return m;
    }

    private static Map<String, Object> group(GroupResult g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", g.key().config());
        m.put("workload", g.key().workload());
        m.put("predicted", g.key().predicted());
        m.put("gpu", g.gpu());
        m.put("model", g.model());
        m.put("axis", g.axis().key());
        m.put("rate_cap", g.key().rateCap());
        m.put("slo", g.slo().toMap());
        m.put("slo_source", g.slo().source());
        m.put("best", g.best() == null ? null : best(g));
        m.put("knee", g.knee() == null ? null : knee(g.knee()));
        m.put("max_load_under_slo", g.maxLoad() == null ? null : maxLoad(g.maxLoad(), g.axis()));
        m.put("limiting_factor", limit(g.limit(), g.axis()));
        m.put("recommendation", RecommendationJson.toMap(g));
        m.put("verdict", g.verdict());
        m.put("points", g.points().stream().map(p -> point(p, g.judge())).toList());
        m.put("tool_errors", g.toolErrors().stream().map(AnalysisJson::toolError).toList());
        return m;
    }

    private static Map<String, Object> best(GroupResult g) {
        LoadPoint p = g.best();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", g.key().config());
        m.put("workload", g.key().workload());
        m.put("concurrency", p.concurrency());
        m.put("rate", p.rate());
        for (String key : List.of("output_throughput", "p95_e2el_ms", "p95_ttft_ms", "median_tpot_ms")) m.put(key, p.mean(key));
        for (SloChoice.Objective o : g.slo().objectives()) m.putIfAbsent(o.key(), p.mean(o.key()));
        m.put("interval", RepeatInterval.json(p));
        return m;
    }

    private static Map<String, Object> knee(LoadPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", p.concurrency());
        m.put("rate", p.rate());
        m.put("output_throughput", p.mean("output_throughput"));
        m.put("p95_e2el_ms", p.mean("p95_e2el_ms"));
        return m;
    }

    private static Map<String, Object> maxLoad(MaxLoad l, Axis axis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", axis == Axis.CONCURRENCY ? load(l.load(), axis) : null);
        m.put("rate", axis == Axis.RATE ? l.load() : null);
        m.put("interpolated", l.interpolated());
        m.put("bracket", Arrays.asList(load(l.bracketLow(), axis), load(l.bracketHigh(), axis)));
        m.put("range", l.rangeLow() == null ? null : List.of(l.rangeLow(), l.rangeHigh()));
        m.put("metric", l.metric());
        m.put("confidence", l.confidence());
        m.put("next_load", load(l.nextLoad(), axis));
        m.put("suggestion", l.suggestion());
        return m;
    }

    private static Map<String, Object> limit(Limit l, Axis axis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("factor", l.factor().key());
        m.put("onset", load(l.onset(), axis));
        m.put("evidence", l.evidence());
        return m;
    }

    private static Map<String, Object> point(LoadPoint p, Judge judge) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", p.concurrency());
        m.put("rate", p.rate());
        m.put("repeats", p.repeats().size());
        m.put("status", p.status());
        List<String> keys = new ArrayList<>(List.of("output_throughput", "request_throughput", "p95_ttft_ms",
                "median_tpot_ms", "p95_e2el_ms"));
        for (SloChoice.Objective o : judge.slo().objectives()) if (!keys.contains(o.key())) keys.add(o.key());
        for (String key : keys) m.put(key, p.mean(key));
        m.put("error_rate", p.errorRate());
        m.put("client_error_rate", p.clientErrorRate());
        for (String key : List.of(LimitFinder.KV_MAX, LimitFinder.PREEMPTIONS, LimitFinder.WAITING, LimitFinder.RUNNING)) {
            m.put(key, p.mean(key));
        }
        m.put("client_limited", p.clientLimited());
        m.put("valid", p.delivered());
        m.put("delivered", judge.delivered(p));
        m.put("slo_ratio", judge.ratio(p));
        m.put("slo_pass", judge.passes(p));
        m.put("slo_judgement", judge.judgement(p).key());
        Map<String, Object> spread = new LinkedHashMap<>();
        for (String key : keys) {
            if (p.min(key) != null) spread.put(key, List.of(p.min(key), p.max(key)));
        }
        m.put("spread", spread);
        return m;
    }

    private static Map<String, Object> toolError(Point p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", p.concurrency());
        m.put("rate", p.rate());
        m.put("repeat", p.repeat());
        m.put("error", p.error());
        return m;
    }

    private static Map<String, Object> difference(Difference d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", d.key().config());
        m.put("workload", d.key().workload());
        m.put("gpu", d.key().gpu());
        m.put("model", d.key().model());
        m.put("concurrency", d.concurrency());
        m.put("rate", d.rate());
        m.put("metric", d.metric());
        m.put("measured", d.measured());
        m.put("predicted", d.predicted());
        m.put("error_pct", d.errorPct());
        return m;
    }

    /** A concurrency that is whole as an integer (24, not 24.0); anything else as it is. */
    private static Object load(Double load, Axis axis) {
        if (load == null) return null;
        if (axis == Axis.CONCURRENCY && load == Math.rint(load)) return load.longValue();
        return load;
    }
}
