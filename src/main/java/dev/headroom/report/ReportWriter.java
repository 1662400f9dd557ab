package dev.headroom.report;

import dev.headroom.results.ConfigRow;
import dev.headroom.results.ServedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The capacity report: {@code report.md}, one self-contained {@code report.html} and every chart as PNG and SVG, from
 * one or more sweep (or run) folders and the analysis.json beside each.
 */
public final class ReportWriter {

    private ReportWriter() {}

    /** The files a report wrote. */
    public record Written(Path markdown, Path html, int charts) {}

    /** Writes the report of {@code study} into {@code out}. */
    public static Written write(Study study, Path out, OptionalDouble gpuPricePerHour) throws IOException {
        Files.createDirectories(out);
        Doc doc = new Doc("Capacity report");
        List<Recipe> recipes = Recipe.of(study);
        Handover.banner(doc, study);
        PredictionRanges.legend(doc, study);
        if (!recipes.isEmpty()) Handover.summary(doc, recipes);
        intro(doc, study);
        Handover.provenance(doc, study);
        verdicts(doc, study);
        sideBySide(doc, study);
        WorkloadText.section(doc, study);
        comparison(doc, study);
        ReportFigures.loadCharts(doc, study, out);
        ReportFigures.configs(doc, study);
        TuningStudy.append(doc, study, out, new Costs(gpuPricePerHour));
        TuneSection.append(doc, study);
        LifeSection.append(doc, study, out);
        new Costs(gpuPricePerHour).section(doc, study);
        PointTables.append(doc, study);
        Doc plain = Glossary.plain(doc);
        Glossary.append(plain);
        Path md = out.resolve("report.md");
        Path html = out.resolve("report.html");
        Files.writeString(md, Markdown.render(plain));
        Files.writeString(html, Html.render(plain, out));
        int charts = (int) doc.blocks().stream().filter(b -> b instanceof Doc.Figure).count();
        return new Written(md, html, charts);
    }

    private static void intro(Doc doc, Study study) {
        doc.p("From " + study.sweeps().size() + " results folder" + (study.sweeps().size() == 1 ? "" : "s") + ": "
                + study.sweeps().stream().map(s -> "`" + s.label() + "`").collect(Collectors.joining(", "))
                + ". Every number below comes from those folders; the provenance below says which were measured.");
    }

    private static void verdicts(Doc doc, Study study) {
        doc.h2("Verdict");
        for (SweepResults s : study.unanalyzed()) {
            doc.p("`" + s.label() + "` was not analyzed: run `headroom analyze " + s.dir() + "` for the best point, the "
                    + "knee and the limiting factor. This report shows its measurements without a verdict.");
        }
        List<String> items = new ArrayList<>();
        for (Curve c : study.curves()) {
            if (c.verdict() == null) {
                if (c.sweep().analysisIfAny().isPresent()) {
                    items.add("**" + c.label() + "**: the analysis holds no verdict for this group (config `" + c.config() + "`).");
                }
                continue;
            }
            Verdict v = c.verdict();
            String text = "**" + c.label() + "**: " + v.sentence();
            if (!v.sloText().isEmpty()) text += " SLO: " + v.sloText() + (v.sloSource().isEmpty() ? "" : " (" + v.sloSource() + ")") + ".";
            if (!v.limitingFactor().isEmpty()) {
                text += " Limiting factor: `" + v.limitingFactor() + "`"
                        + (v.evidence().isEmpty() ? "" : " (" + String.join("; ", v.evidence()) + ")") + ".";
            }
            items.add(text + PredictionRanges.verdictNote(c));
        }
        if (!items.isEmpty()) doc.bullets(items);
    }

    private static void sideBySide(Doc doc, Study study) {
        doc.h2("Runs side by side");
        List<List<String>> rows = new ArrayList<>();
        for (Curve c : study.curves()) {
            ServedConfig first = c.points().isEmpty() ? (c.unusable().isEmpty() ? ServedConfig.UNKNOWN
                    : c.unusable().get(0).first().served()) : c.points().get(0).first().served();
            Verdict v = c.verdict();
            rows.add(List.of(c.sweep().label(), c.workload(), c.gpuClass().label(), configText(c.config(), first),
                    c.source(), loads(c), c.peak().map(p -> PredictionRanges.at(c, p).figure("output_throughput",
                                    p.num("output_throughput"), Fmt::tps) + " at " + c.loadText(p.load()))
                            .orElse("no usable point"),
                    v == null ? "no verdict" : v.best() == null ? "none within the SLO" : pointText(c, v.best()),
                    v == null || v.knee() == null ? "no verdict" : c.loadText(v.knee().load()),
                    v == null || v.maxLoadUnderSlo().isEmpty() ? "no verdict" : v.maxLoadUnderSlo(),
                    v == null || v.limitingFactor().isEmpty() ? "no verdict" : "`" + v.limitingFactor() + "`"));
        }
        doc.table(List.of("Results", "Workload", "GPU", "Server config", "Source", "Loads swept", "Peak throughput",
                "Best within SLO", "Knee", "Max load within SLO", "Limiting factor"), rows);
    }

    static String configText(String name, ServedConfig r) {
        return "`" + name + "`: max_model_len " + ReportFigures.orWhy(r.text("max_model_len"), "unknown")
                + ", gpu_memory_utilization " + ReportFigures.orWhy(r.text("gpu_memory_utilization"), "unknown")
                + ", max_num_seqs " + ReportFigures.orWhy(r.text("max_num_seqs"), "unknown")
                + ", max_num_batched_tokens " + ReportFigures.orWhy(r.text("max_num_batched_tokens"), "unknown");
    }

    private static String loads(Curve c) {
        String ok = c.points().stream().map(p -> c.loadText(p.load())).collect(Collectors.joining(", "));
        String bad = c.unusable().stream().map(r -> c.loadText(r.load()) + " "
                + r.status()).collect(Collectors.joining(", "));
        return ok + (bad.isEmpty() ? "" : "; not usable: " + bad);
    }

    static String pointText(Curve c, OperatingPoint p) {
        PredictionRanges r = PredictionRanges.at(c, p.load());
        return c.loadText(p.load()) + ": " + r.figure("output_throughput", p.outputThroughput(), Fmt::tps) + ", p95 E2E "
                + r.figure("p95_e2el_ms", p.p95E2elMs(), Fmt::ms);
    }

    /** Measured against predicted wherever the study holds both of one grid: recorded by analyze, or computed as analyze does. */
    static void comparison(Doc doc, Study study) {
        doc.h2("Measured against predicted");
        List<List<String>> rows = new ArrayList<>();
        for (Gaps g : Gaps.of(study)) {
            rows.add(List.of(g.workload() + (g.gpu().isEmpty() ? "" : " · " + g.gpu()) + (g.config().equals("default") ? "" : " · `" + g.config() + "`"),
                    g.load(), Fmt.metricName(g.metric()), value(g.metric(), g.measured()), value(g.metric(), g.predicted()),
                    signed(g.errorPct())));
        }
        if (rows.isEmpty()) {
            doc.p("No comparison: no curve here was both measured and predicted on the same GPU, config and workload. "
                    + "Give a measured and a predicted sweep of the same grid to compare them.");
            return;
        }
        doc.p("The simulator's prediction against the measurement, load by load, where both ran the same GPU, config and "
                + "workload. A positive error means the simulator predicted more than was measured.");
        doc.table(List.of("Curve", "Load", "Metric", "Measured", "Predicted", "Prediction error"), rows);
    }

    private static String value(String metric, double v) {
        return metric.endsWith("_ms") ? Fmt.ms(v) : metric.contains("throughput") ? Fmt.tps(v) : Fmt.num(v);
    }

    static String signed(double pct) {
        return Double.isNaN(pct) ? Fmt.MISSING : (pct >= 0 ? "+" : "") + String.format(java.util.Locale.ROOT, "%.1f%%", pct);
    }
}
