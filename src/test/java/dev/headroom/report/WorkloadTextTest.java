package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.GroupKey;
import dev.headroom.results.Point;
import dev.headroom.results.ServedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a report says of a curve's request lengths and of its recommended point's repeats. */
class WorkloadTextTest {

    private static Point run(int repeat, double tps, double p95, double completed, double inMean, double outMean) {
        Map<String, Number> v = new LinkedHashMap<>();
        v.put("completed", completed);
        v.put("failed", 0);
        v.put("output_throughput", tps);
        v.put("p95_e2el_ms", p95);
        v.put("mean_input_tokens", inMean);
        v.put("median_input_tokens", inMean - 10);
        v.put("p90_input_tokens", inMean + 150);
        v.put("mean_output_tokens", outMean);
        v.put("median_output_tokens", outMean);
        v.put("p90_output_tokens", outMean + 30);
        return new Point("default", "chat", false, 8, null, repeat, "ok", null, ServedConfig.UNKNOWN, v, false, true,
                null, null, "test");
    }

    private static Curve curve(List<Point> runs) {
        GroupKey key = new GroupKey("default", "chat", "t4", null, false, null, false);
        SweepResults sweep = new SweepResults(Path.of("chat-t4"), runs, List.of(), null);
        return new Curve(sweep, key, false, null, List.of(new LoadPoint(8, runs)), List.of(), null);
    }

    @Test
    void threeRunsShowThroughputAndP95WithTheirIntervals() {
        List<Point> runs = List.of(run(0, 260, 1300, 100, 250, 96), run(1, 271, 1350, 100, 250, 96),
                run(2, 282, 1280, 100, 250, 96));
        Curve c = curve(runs);
        // 271 ± 4.302653 * 11 / sqrt(3) = 27.3; p95 1310 ± 89.6
        assertThat(RepeatText.of(c, c.points().get(0)))
                .isEqualTo("at c=8, 271 ± 27.3 tok/s and p95 E2E 1,310 ± 89.6 ms over 3 runs (95% confidence).");
    }

    @Test
    void oneOrTwoRunsSayTheIntervalWasNotComputed() {
        Curve once = curve(List.of(run(0, 260, 1300, 100, 250, 96)));
        assertThat(RepeatText.of(once, once.points().get(0))).isEqualTo(
                "c=8 was run once: 260 tok/s, p95 E2E 1,300 ms; no confidence interval (it needs 3 runs or more).");
        Curve twice = curve(List.of(run(0, 260, 1300, 100, 250, 96), run(1, 280, 1320, 100, 250, 96)));
        assertThat(RepeatText.of(twice, twice.points().get(0))).startsWith("c=8 was run twice: 270 tok/s, p95 E2E 1,310 ms;")
                .endsWith("no confidence interval (it needs 3 runs or more).");
    }

    @Test
    void lengthsArePooledOverRunsWeightedByTheirRequests() {
        // 300 requests averaging 200 prompt tokens and 100 averaging 400: 250 on average.
        Curve c = curve(List.of(run(0, 260, 1300, 300, 200, 90), run(1, 271, 1350, 100, 400, 130)));
        WorkloadText.Lengths in = WorkloadText.of(c, "input").orElseThrow();
        assertThat(in.mean()).isEqualTo(250.0);
        assertThat(in.median()).isEqualTo(240.0);
        assertThat(in.p90()).isEqualTo(400.0);
        assertThat(WorkloadText.lengths(c)).isEqualTo("prompts of 250 tokens on average (median 240, 90th "
                + "percentile 400), answers of 100 tokens on average (median 100, 90th percentile 130)");
    }

    @Test
    void runsWithoutLengthsSayTheyWereNotRecorded() {
        Map<String, Number> v = new LinkedHashMap<>(Map.of("completed", 10, "failed", 0, "output_throughput", 50.0));
        Point old = new Point("default", "chat", false, 8, null, 0, "ok", null, ServedConfig.UNKNOWN, v, false, true, null,
                null, "test");
        Curve c = curve(new ArrayList<>(List.of(old)));
        assertThat(WorkloadText.of(c, "output")).isEmpty();
        assertThat(WorkloadText.lengths(c)).isEqualTo("request lengths not recorded (results of an older headroom)");
    }
}
