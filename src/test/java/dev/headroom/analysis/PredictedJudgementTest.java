package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load the simulator gave is judged against the SLO with its published error range: it meets the SLO only when
 * its whole range does, and a load meeting it on the central prediction alone is named as the one to measure. The
 * same figures measured are judged as before. The playbook's chat SLO (p95 E2E ≤ 1.5 s), a 1% error ceiling.
 */
class PredictedJudgementTest {

    /** Chat: load, p95 E2E ms. At ±30%: 1–4 meet over their whole range, 8 and 16 cross 1.5 s, 64 misses. */
    private static final double[][] CHAT = {{1, 700}, {2, 900}, {4, 1100}, {8, 1300}, {16, 1400}, {32, 1700}, {64, 2500}};

    @TempDir
    Path tmp;

    /**
     * Each load's run folder holds a summary.json whose prediction block gives p95 E2E a P90 error of {@code pct}, or
     * of the row's third number where it has one.
     */
    private List<Points> predicted(double[][] rows, double defaultPct) throws IOException {
        List<Points> out = new ArrayList<>();
        for (double[] r : rows) {
            double pct = r.length > 2 ? r[2] : defaultPct;
            Path dir = tmp.resolve("chat-c" + (int) r[0]);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, """
                    {"p95_e2el_ms": %s, "prediction": {"metrics": {"e2e": {"p90_abs_pct": %s,
                      "ranges": {"p95_e2el_ms": [%s, %s]}}}, "outside_coverage": []}}""",
                    r[1], pct, r[1] * (1 - pct / 100), r[1] * (1 + pct / 100)));
            out.add(measured(r).dir(dir));
        }
        return out;
    }

    private static Points measured(double[] r) {
        return Points.at(r[0]).latencies(60 * r[0], 80, 14, r[1]).with("server_preemptions", 0);
    }

    private static GroupResult analyze(List<Points> points) {
        List<Point> built = points.stream().map(Points::build).toList();
        return Analysis.of(new Inputs(built, List.of()), null, 0.01).groups().get(0);
    }

    private static SloJudgement judgement(GroupResult g, double load) {
        return g.judge().judgement(g.points().stream().filter(p -> p.load() == load).findFirst().orElseThrow());
    }

    @Test
    void aPredictedLoadWhoseRangeCrossesTheSloIsUncertainAndTheSafeLoadIsTheHighestWholeRangeWithin() throws IOException {
        GroupResult g = analyze(predicted(CHAT, 30));
        assertThat(judgement(g, 4)).isEqualTo(SloJudgement.MEETS);
        assertThat(judgement(g, 8)).as("1.30 s, range 0.91–1.69 s").isEqualTo(SloJudgement.UNCERTAIN);
        assertThat(judgement(g, 32)).as("1.70 s, range 1.19–2.21 s: over on its central figure, not surely")
                .isEqualTo(SloJudgement.UNCERTAIN);
        assertThat(judgement(g, 64)).as("range 1.75–3.25 s").isEqualTo(SloJudgement.MISSES);
        Recommendation r = g.recommendation();
        assertThat(r.load().load()).isEqualTo(4.0);
        assertThat(r.sloBound().load()).isEqualTo(4.0);
        assertThat(r.next().load()).isEqualTo(8.0);
        assertThat(r.toConfirm().load()).as("the highest load meeting the SLO on its central prediction").isEqualTo(16.0);
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 4: 240 tok/s, p95 E2E 1.10 s (range 0.77–1.43 s). "
                        + "It is the highest load meeting the SLO (p95 E2E ≤ 1.50 s) over its whole predicted range; "
                        + "concurrency 8 would give 480 tok/s (+100%) at p95 E2E 1.30 s, within the prediction's error of the "
                        + "SLO (p95 E2E 0.91–1.69 s).")
                .contains(" Concurrency 16 meets the SLO on its central prediction, p95 E2E 1.40 s, but its range, "
                        + "0.98–1.82 s, crosses the 1.50 s target: within the prediction's error of the target, so measure it "
                        + "before relying on it: `headroom sweep --url http://SERVER:8000 --workload chat --concurrency 16 "
                        + "--repeat 3 --slo p95_e2el=1500ms --out measured-chat-c16`.");
    }

    @Test
    void theSameFiguresMeasuredAreJudgedOnTheirMeansAsBefore() {
        GroupResult g = analyze(java.util.Arrays.stream(CHAT).map(PredictedJudgementTest::measured).toList());
        assertThat(g.points()).allSatisfy(p -> assertThat(p.ranged()).isFalse());
        assertThat(judgement(g, 16)).isEqualTo(SloJudgement.MEETS);
        assertThat(judgement(g, 32)).isEqualTo(SloJudgement.MISSES);
        assertThat(g.recommendation().load().load()).isEqualTo(16.0);
        assertThat(g.recommendation().toConfirm()).isNull();
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 16: 960 tok/s, p95 E2E 1.40 s. It is the highest load "
                + "meeting the SLO (p95 E2E ≤ 1.50 s); concurrency 32 would give 1,920 tok/s (+100%) at p95 E2E 1.70 s, "
                + "13% over the SLO.").doesNotContain("range", "measure it");
    }

    @Test
    void withNoLoadWithinTheSloOverItsWholeRangeNoneIsRecommendedAndTheCentralOneIsToConfirm() throws IOException {
        GroupResult g = analyze(predicted(new double[][] {{1, 1200}, {2, 1300}, {4, 1600}}, 30));
        assertThat(judgement(g, 1)).isEqualTo(SloJudgement.UNCERTAIN);
        assertThat(g.recommendation().load()).isNull();
        assertThat(g.recommendation().toConfirm().load()).isEqualTo(2.0);
        assertThat(g.verdict()).startsWith("No load of chat meets the SLO (p95 E2E ≤ 1.50 s) over its whole predicted range: "
                        + "at concurrency 1, the lowest load run, p95 E2E 1.20 s (range 0.84–1.56 s). Concurrency 2 meets the "
                        + "SLO on its central prediction, p95 E2E 1.30 s, but its range, 0.91–1.69 s, crosses the 1.50 s target");
    }

    @Test
    void analysisJsonCarriesTheThreeWayJudgementTheRatioRangeAndTheLoadToConfirmWithItsCommand() throws IOException {
        List<Points> points = predicted(CHAT, 30);
        Files.writeString(tmp.resolve("chat-c16/run.yaml"), """
                inputs:
                  model: Qwen/Qwen2.5-1.5B-Instruct
                  workload: chat
                  input_tokens: null
                  output_tokens: 48
                  range_ratio: 0.0
                  output_stddev: 24.0
                  concurrency: 16
                """);
        Map<String, Object> map = AnalysisJson.toMap(new Analysis(List.of(analyze(points)), List.of(), List.of()), 0.01);
        @SuppressWarnings("unchecked")
        var rec = (Map<String, Object>) map.get("recommendation");
        assertThat(rec).containsEntry("concurrency", 4).containsEntry("slo_judgement", "meets");
        @SuppressWarnings("unchecked")
        var next = (Map<String, Object>) rec.get("next_load");
        assertThat(next).containsEntry("slo_pass", true).containsEntry("slo_judgement", "uncertain");
        assertThat((List<?>) next.get("slo_ratio_range")).satisfiesExactly(
                low -> assertThat((Double) low).isCloseTo(910 / 1500.0, org.assertj.core.data.Offset.offset(1e-9)),
                high -> assertThat((Double) high).isCloseTo(1690 / 1500.0, org.assertj.core.data.Offset.offset(1e-9)));
        @SuppressWarnings("unchecked")
        var confirm = (Map<String, Object>) rec.get("to_confirm");
        assertThat(confirm).containsEntry("concurrency", 16).containsEntry("slo_judgement", "uncertain")
                .containsEntry("command", "headroom sweep --url http://SERVER:8000 --model Qwen/Qwen2.5-1.5B-Instruct "
                        + "--workload chat --output-tokens 48 --output-stddev 24.0 --concurrency 16 --repeat 3 "
                        + "--slo p95_e2el=1500ms --out measured-chat-c16");
        @SuppressWarnings("unchecked")
        var ranges = (Map<String, List<Double>>) confirm.get("ranges");
        assertThat(ranges.get("p95_e2el_ms").get(0)).isCloseTo(980, org.assertj.core.data.Offset.offset(1e-9));
        @SuppressWarnings("unchecked")
        var tradeOff = (List<Map<String, Object>>) rec.get("trade_off");
        assertThat(tradeOff).extracting(m -> m.get("slo_judgement"))
                .containsExactly("meets", "meets", "meets", "uncertain", "uncertain", "uncertain", "misses");
    }

    @Test
    void theLoadToConfirmIsAlwaysOneWhoseRangeCrossesTheSloNeverOneThatMeetsItWhole() throws IOException {
        // Concurrency 2's narrower band lies wholly within the SLO, but concurrency 1 below it is uncertain.
        GroupResult g = analyze(predicted(new double[][] {{1, 1200}, {2, 1300, 5}, {4, 1600}}, 30));
        assertThat(judgement(g, 2)).isEqualTo(SloJudgement.MEETS);
        assertThat(g.recommendation().load()).isNull();
        assertThat(g.recommendation().toConfirm().load()).isEqualTo(1.0);
    }

    @Test
    void analyzePrintsTheUncertainLoadsAndTheLoadToConfirmWithItsCommand() throws IOException {
        List<String> lines = ConsoleReport.lines(new Analysis(List.of(analyze(predicted(CHAT, 30))), List.of(), List.of()));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(" +8 +1 .* uncertain \\(pass\\)"))
                .anySatisfy(l -> assertThat(l).matches(" +32 +1 .* uncertain \\(fail\\)"))
                .anySatisfy(l -> assertThat(l).matches(" +64 +1 .* fail"))
                .contains("  recommended: concurrency 4",
                        "  to confirm: concurrency 16 (meets the SLO on its central prediction, within the prediction's error of it)",
                        "    measure it: headroom sweep --url http://SERVER:8000 --workload chat --concurrency 16 --repeat 3 "
                                + "--slo p95_e2el=1500ms --out measured-chat-c16");
    }
}
