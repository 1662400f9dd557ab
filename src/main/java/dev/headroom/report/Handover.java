package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ImportedFrom;
import dev.headroom.results.Point;
import dev.headroom.results.RunInfo;
import dev.headroom.results.ServedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a document handed to a client opens with: a banner when any number was not measured on a real server, the
 * executive summary (each recipe's answer, risk and next step, every number the quick reference's) and where the
 * numbers came from (the date, the headroom version run.yaml records, server, GPU, each served config by a hash of
 * its content).
 */
final class Handover {

    private Handover() {}

    /** The banner over a study with predicted or simulated numbers; none when every number was measured. */
    static void banner(Doc doc, Study study) {
        List<Curve> drawn = study.curves().stream().filter(c -> !c.points().isEmpty()).toList();
        long measured = drawn.stream().filter(c -> c.source().equals("measured")).count();
        if (measured == drawn.size()) return;
        doc.banner(measured == 0
                ? "No number in this document was measured on a GPU: every one was predicted by headroom's simulator of "
                + "vLLM or timed against that simulator. Measure the recommended settings on the real GPU before relying on them."
                : "Some numbers in this document were not measured on a GPU: each table and recipe says whether its "
                + "numbers were measured, predicted by headroom's simulator, or timed against that simulator.");
    }

    /** One line per recipe: serve what at which load, the throughput and p95 there, the risk and the next step. */
    static void summary(Doc doc, List<Recipe> recipes) {
        doc.h2("Executive summary");
        List<String> items = new ArrayList<>();
        for (Recipe r : recipes) items.add(answer(r));
        if (recipes.stream().anyMatch(r -> r.recommended() != null)) {
            doc.p("Per workload and GPU: the load to serve at and what it gives, then its thresholds: the knee is where "
                    + "throughput levels off, the limit where the limiting factor first shows.");
        }
        doc.bullets(items);
    }

    private static String answer(Recipe r) {
        Curve c = r.curve();
        Verdict v = c.verdict();
        String what = "**" + r.workloadTitle() + " on " + r.gpu().label() + "**";
        if (v == null) {
            return what + ": not analyzed, so no recommendation; " + c.peak().map(p -> "the peak was "
                    + Fmt.tps(p.num("output_throughput")) + " at " + c.loadText(p.load())).orElse("no usable point")
                    + " (" + c.source() + "). Next step: analyze the sweep to judge it against a latency target.";
        }
        Verdict.Recommended rec = v.recommendation();
        if (rec == null && c.points().stream().noneMatch(c.judge()::delivered)) {
            return what + ": the load generator did not deliver any load it was asked for (" + c.source() + "), so these "
                    + "numbers recommend nothing. Next step: run the sweep again from a client with spare CPU.";
        }
        String confirm = RecommendationText.confirm(c);
        if (rec == null && !confirm.isEmpty()) {
            LoadPoint lowest = c.points().get(0);
            return what + ": no load meets the latency target (" + v.sloText() + ", " + c.source() + ") over its whole "
                    + "predicted range: at " + c.loadText(lowest.load()) + ", the lowest, p95 E2E "
                    + PredictionRanges.at(c, lowest).figure("p95_e2el_ms", lowest.num("p95_e2el_ms"), Fmt::ms) + ". " + confirm;
        }
        if (rec == null) {
            return what + ": no load met the latency target (" + v.sloText() + ", " + c.source() + "). Next step: "
                    + (r.gpu().memoryGb() > 0 ? "a larger GPU" : "faster hardware") + ", a shorter context-length limit, or a looser target.";
        }
        OperatingPoint at = rec.point();
        PredictionRanges ranges = PredictionRanges.at(c, at.load());
        String answer = what + ": serve " + (c.config().equals("default") ? "" : "config `" + c.config() + "` ") + "at "
                + c.loadText(at.load()) + ": " + ranges.figure("output_throughput", at.outputThroughput(), Fmt::tps)
                + " at p95 E2E " + ranges.figure("p95_e2el_ms", at.p95E2elMs(), Fmt::ms)
                + (rec.throughput() ? ", chosen for throughput per GPU" : " against a target of " + v.sloText())
                + " (" + c.source() + "). ";
        String tradeOff = rec.throughput() ? RecommendationText.sloShown(c, rec) + " " : RecommendationText.nextLoad(c, rec) + " "
                + (confirm.isEmpty() ? "" : confirm + " ");
        String risk = "Thresholds: " + v.thresholds(c::loadText) + ".";
        String next = c.source().equals("measured")
                ? " Next step: deploy the recipe's config below and watch p95 E2E and "
                + (ServerKind.of(c) == ServerKind.LLAMA_CPP ? "the requests waiting for a slot" : "preemptions") + " under real traffic."
                : " Next step: measure this config on a real " + r.gpu().label() + " at " + c.loadText(at.load())
                + (v.toConfirm() == null ? "" : " and " + c.loadText(v.toConfirm().point().load())) + " before relying on it.";
        return answer + tradeOff + risk + next;
    }

    /** Tool version, date, and per curve its sweep, server, served config with its content hash, and loads. */
    static void provenance(Doc doc, Study study) throws IOException {
        doc.h2("Provenance");
        List<List<String>> rows = new ArrayList<>();
        Set<String> versions = new TreeSet<>();
        List<Point> imported = new ArrayList<>();
        for (Curve c : study.curves()) {
            if (c.points().isEmpty()) continue;
            RunInfo run = RunInfo.read(c.folder(c.typical().orElseThrow()));
            String version = run.root().path("version").asText("");
            if (!version.isEmpty()) versions.add(version);
            Point first = c.points().get(0).first();
            if (first.importedFrom() != null) imported.add(first);
            rows.add(List.of(c.label(), "`" + c.sweep().label() + "`",
                    first.importedFrom() != null ? "measured by " + first.importedFrom().describe() : server(run),
                    "`" + c.config() + "` (" + hash(c.points().get(0).first().served()) + ")",
                    c.points().stream().map(p -> c.loadText(p.load())).collect(Collectors.joining(", "))));
        }
        String tools = ImportedFrom.describe(imported);
        doc.p("Written on " + LocalDate.now(ZoneOffset.UTC) + " (UTC) from results "
                + (imported.size() == rows.size() ? "imported from " + tools : "recorded by headroom "
                + (versions.isEmpty() ? "(version not recorded)" : String.join(" and ", versions))
                + (tools == null ? "" : " and imported from " + tools)) + ". **Measured** "
                + "numbers were timed against a real server; **predicted** ones come from headroom's simulator of a vLLM "
                + "engine on a virtual clock; **simulated** ones were timed over HTTP against that simulator served as a "
                + "server. Each config is named with a short hash of its settings: two documents naming the same hash "
                + "served the same settings.");
        doc.table(List.of("Curve", "Sweep", "Served by", "Config (settings hash)", "Loads"), rows);
    }

    /** The server of a run in words, with its version where the run recorded one. */
    static String server(RunInfo run) {
        if (run.root().isMissingNode()) return "not recorded";
        String vllm = run.served("vllm_version");
        String version = vllm.isEmpty() ? "" : ", vLLM " + vllm;
        if (run.predicted()) return "headroom's simulator of vLLM on a virtual clock" + version;
        if (run.simulated()) return "headroom's simulator of vLLM, served over HTTP" + version;
        var server = run.root().path("server");
        String name = server.path("server_header").asText("");
        String v = server.path("version").asText("");
        return (name.isEmpty() || name.equals("null") ? "server" : name) + (v.isEmpty() || v.equals("null") ? "" : " version " + v)
                + " at " + server.path("base_url").asText(run.input("url"));
    }

    /** The first 8 hex digits of SHA-256 over the config's known settings, in key order. */
    static String hash(ServedConfig served) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(served.toMap()).forEach((k, v) -> {
            if (v != null) text.append(k).append('=').append(v).append('\n');
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
