package dev.headroom.report;

import dev.headroom.results.ConfigRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart sections of a report: load charts for all curves and per panel, and each sweep's server configs. */
final class ReportFigures {

    private ReportFigures() {}

    /** Throughput and frontier over every curve, then latency, TPOT/ITL and KV charts per panel. */
    static void loadCharts(Doc doc, Study study, Path out) throws IOException {
        doc.h2("Throughput and latency against load");
        if (!study.notCharted().isEmpty()) doc.p(study.notCharted());
        List<String> panels = new ArrayList<>(study.chartedPanels().keySet());
        for (boolean byRate : new boolean[] {false, true}) {
            List<Curve> curves = study.charted().stream().filter(c -> c.byRate() == byRate && !c.points().isEmpty()).toList();
            if (curves.isEmpty()) continue;
            String suffix = byRate ? "-rate" : "";
            doc.figure(LoadCharts.throughput(curves, panels, out, "throughput" + suffix));
            doc.figure(LoadCharts.frontier(curves, panels, out, "frontier" + suffix));
        }
        for (Map.Entry<String, List<Curve>> e : study.chartedPanels().entrySet()) {
            List<Curve> panel = e.getValue().stream().filter(c -> !c.points().isEmpty()).toList();
            if (panel.isEmpty()) continue;
            String stem = panel.get(0).stem().replace("-measured", "").replace("-predicted", "");
            doc.h3(e.getKey());
            doc.figure(LoadCharts.latency(panel, out, "latency-" + stem));
            doc.figure(LoadCharts.tokenLatency(panel, out, "tpot-itl-" + stem));
            Optional<ChartFiles.Written> kv = LoadCharts.kvCache(panel, out, "kv-" + stem);
            if (kv.isPresent()) doc.figure(kv.get());
            else doc.p("KV-cache usage and preemptions: not measured (no run of this panel sampled the server's "
                    + "KV-cache gauge).");
            Optional<ChartFiles.Written> power = EnergyCharts.power(panel, out, "power-" + stem);
            if (power.isPresent()) doc.figure(power.get());
            else EnergyCharts.upperBoundOnly(panel).ifPresent(doc::p);
        }
    }

    /** Each sweep's configs.csv as a table; the OOM surface they map is drawn by the tuning study. */
    static void configs(Doc doc, Study study) {
        doc.h2("Server configs");
        for (SweepResults s : study.sweeps()) {
            doc.h3(s.label());
            if (s.configs().isEmpty()) {
                doc.p("No server settings recorded in `" + s.dir() + "` (a single run, or a sweep without server configs).");
                continue;
            }
            List<List<String>> rows = new ArrayList<>();
            ServerErrors errors = new ServerErrors();
            for (ConfigRow r : s.configs()) {
                rows.add(List.of(r.text("config"), String.join(" / ", orWhy(r.text("max_model_len"), "unknown"),
                        orWhy(r.text("gpu_memory_utilization"), "unknown"), orWhy(r.text("max_num_seqs"), "unknown"),
                        orWhy(r.text("max_num_batched_tokens"), "unknown")), planned(r, errors), orWhy(r.text("status"), "not started"),
                        r.has("failure") || r.has("message") ? errors.cite(r.text("config"), r.text("failure"), r.text("message")) : "none",
                        r.has("reported_max_concurrency") ? Fmt.num(r.num("reported_max_concurrency")) + "x" : "not reported",
                        orWhy(r.text("disagreement"), "none")));
            }
            doc.table(List.of("Config", "max_model_len / gpu_memory_utilization / max_num_seqs / max_num_batched_tokens",
                    "Planner", "Status", "Failure", "Reported max concurrency", "Plan vs server"), rows);
            errors.appendTo(doc);
        }
    }

    private static String planned(ConfigRow r, ServerErrors errors) {
        if (!r.has("predicted_starts")) return "not planned";
        if (!Boolean.TRUE.equals(r.predictedStarts())) {
            return "fails: " + (r.has("predicted_error") ? errors.predicted(r.text("config"), r.text("predicted_error")) : "no reason given");
        }
        return "starts, " + (r.has("predicted_max_concurrency") ? Fmt.num(r.num("predicted_max_concurrency")) + "x" : "concurrency not planned");
    }

    static String orWhy(String value, String why) {
        return value.isEmpty() ? why : value;
    }
}
