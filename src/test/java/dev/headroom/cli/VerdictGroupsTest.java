package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.GroupResult;
import dev.headroom.analysis.Inputs;
import dev.headroom.metrics.PointErrors;
import dev.headroom.report.Curve;
import dev.headroom.report.Study;
import dev.headroom.report.SweepResults;
import dev.headroom.results.GroupKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's wrong verdicts, end to end through the real CLI: a group of points is keyed by everything that makes two
 * points incomparable, and a sweep is judged by the SLO it ran with. Offline sweeps keep them fast and independent of
 * the machine's speed.
 */
class VerdictGroupsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SMALL = {"--workload", "chat", "--input-tokens", "64", "--output-tokens", "8",
            "--requests", "6"};
    private static final Path TRACE = Path.of("src/test/resources/dev/headroom/workload/traces/mooncake.jsonl");

    private static CliRun headroom(String... args) {
        CliRun r = CliRun.headroom(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    private static void offlineSweep(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("sweep", "--offline", "--out", out.toString()));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(args));
        headroom(all.toArray(String[]::new));
    }

    private static JsonNode analysisJson(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("analysis.json").toFile());
    }

    @Test
    void twoGpusSweepsAreTwoGroupsNotRepeatsAndNeverComparedAcrossGpus(@TempDir Path tmp) throws IOException {
        Path t4 = tmp.resolve("t4-sweep");
        Path a100 = tmp.resolve("a100-sweep");
        offlineSweep(t4, "--gpu", "t4", "--concurrency", "1,2");
        offlineSweep(a100, "--gpu", "a100-40gb", "--concurrency", "1,2");
        Path out = tmp.resolve("both");
        headroom("analyze", t4.toString(), a100.toString(), "--out", out.toString());

        JsonNode groups = analysisJson(out).get("groups");
        assertThat(groups).hasSize(2);
        assertThat(groups).extracting(g -> g.get("gpu").asText()).containsExactly("t4", "a100-40gb");
        for (JsonNode g : groups) {
            assertThat(g.get("points")).hasSize(2).allSatisfy(p -> assertThat(p.get("repeats").asInt()).isEqualTo(1));
        }
        assertThat(analysisJson(out).has("comparison")).isFalse();

        List<GroupKey> analyzed = Analysis.of(Inputs.load(List.of(t4, a100)), null, PointErrors.DEFAULT_MAX_ERROR_RATE)
                .groups().stream().map(GroupResult::key).toList();
        List<GroupKey> reported = Study.of(List.of(SweepResults.read(t4), SweepResults.read(a100))).curves().stream()
                .map(Curve::key).toList();
        assertThat(reported).as("report draws the groups analyze judges").isEqualTo(analyzed);
    }

    @Test
    void aRunFolderAndASweepOfTheSameGpuAndModelAreOneGroup(@TempDir Path tmp) throws IOException {
        // A run folder records the GPU's device name and the catalog model name; a sweep the GPU's catalog id and the
        // model's Hugging Face id: both name one GPU and one model.
        Path run = tmp.resolve("run-c1");
        List<String> args = new ArrayList<>(List.of("run", "--offline", "--gpu", "t4", "--concurrency", "1", "--out",
                run.toString(), "--no-progress"));
        args.addAll(List.of(SMALL));
        headroom(args.toArray(String[]::new));
        Path sweep = tmp.resolve("sweep");
        offlineSweep(sweep, "--gpu", "t4", "--concurrency", "1,2");
        Path out = tmp.resolve("both");
        headroom("analyze", run.toString(), sweep.toString(), "--out", out.toString());

        JsonNode groups = analysisJson(out).get("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("gpu").asText()).isEqualTo("t4");
        assertThat(groups.get(0).get("points")).extracting(p -> p.get("repeats").asInt()).containsExactly(2, 1);
    }

    @Test
    void aMeasuredT4IsNotComparedWithAPredictedA100(@TempDir Path tmp) throws IOException {
        Path measured = tmp.resolve("t4-measured");
        Path predicted = tmp.resolve("a100-predicted");
        List<String> args = new ArrayList<>(List.of("sweep", "--out", measured.toString(), "--gpu", "t4",
                "--concurrency", "1"));
        args.addAll(List.of(SMALL));
        headroom(args.toArray(String[]::new));
        offlineSweep(predicted, "--gpu", "a100-40gb", "--concurrency", "1");
        Path out = tmp.resolve("both");
        CliRun r = headroom("analyze", measured.toString(), predicted.toString(), "--out", out.toString());

        assertThat(analysisJson(out).get("groups")).hasSize(2);
        assertThat(analysisJson(out).has("comparison")).as("a T4 measurement is no check of an A100 prediction").isFalse();
        assertThat(r.out()).doesNotContain("Measured against predicted");
    }

    @Test
    void aTraceSweepOverConcurrencyCapsGivesOnePointPerCap(@TempDir Path tmp) throws IOException {
        Path sweep = tmp.resolve("trace");
        headroom("sweep", "--offline", "--out", sweep.toString(), "--trace", TRACE.toString(), "--requests", "6",
                "--concurrency", "8,16,32");
        headroom("analyze", sweep.toString());

        JsonNode groups = analysisJson(sweep).get("groups");
        assertThat(groups).as("a rate and its cap are the load: three caps are three loads, not three repeats").hasSize(3);
        assertThat(groups).extracting(g -> g.get("rate_cap").asInt()).containsExactly(8, 16, 32);
        assertThat(groups).allSatisfy(g -> {
            assertThat(g.get("axis").asText()).isEqualTo("rate");
            assertThat(g.get("points")).hasSize(1);
            assertThat(g.get("points").get(0).get("repeats").asInt()).isEqualTo(1);
        });
    }

    @Test
    void aSweepIsJudgedByItsOwnSloAndAnExplicitSloOverridesIt(@TempDir Path tmp) throws IOException {
        Path sweep = tmp.resolve("strict");
        offlineSweep(sweep, "--concurrency", "1,2", "--slo", "p95_e2el=1ms", "--no-early-stop");

        CliRun own = headroom("analyze", sweep.toString());
        JsonNode j = analysisJson(sweep);
        assertThat(j.get("slo_source").asText()).isEqualTo("the run's --slo p95_e2el=1ms");
        assertThat(j.get("slo").get("p95_e2el_ms").asDouble()).isEqualTo(1.0);
        assertThat(j.get("best").isNull()).as("no load meets a 1 ms p95 E2E").isTrue();
        assertThat(own.out()).contains("[the run's --slo p95_e2el=1ms]");

        CliRun override = headroom("analyze", sweep.toString(), "--slo", "p95_e2el=60s");
        j = analysisJson(sweep);
        assertThat(j.get("slo_source").asText()).isEqualTo("--slo p95_e2el=60s");
        assertThat(j.get("best").isNull()).isFalse();
        assertThat(override.out()).contains("[--slo p95_e2el=60s]");
    }

    @Test
    void aSweepWithoutSloIsJudgedByThePlaybookDefaultAndSaysSo(@TempDir Path tmp) throws IOException {
        Path sweep = tmp.resolve("default");
        offlineSweep(sweep, "--concurrency", "1");
        headroom("analyze", sweep.toString());
        assertThat(analysisJson(sweep).get("slo_source").asText()).isEqualTo("playbook chat default");
    }
}
