package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalyzeCommandTest {

    private static final Path FIXTURES = Path.of("src/test/resources/analysis");

    @Test
    void aSweepFolderGetsAVerdictATableTheConfigSurfaceAndAnalysisJson(@TempDir Path tmp) throws IOException {
        Path sweep = copy(FIXTURES.resolve("kv-sweep"), tmp.resolve("sweep"));
        CliRun r = CliRun.headroom("analyze", sweep.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains(
                "Serve chat with config mns128 at concurrency 32: 1,100 tok/s, p95 E2E 1.40 s. It is the highest load "
                        + "meeting the SLO (p95 E2E ≤ 1.50 s); concurrency 64 would give 1,150 tok/s (+5%) at p95 E2E 2.20 s",
                "the limit is KV-cache capacity from concurrency 64: the KV cache fills and requests are preempted.",
                "  objective: latency (the default for chat",
                "  recommended: concurrency 32",
                "  knee: concurrency 16",
                "max load under the SLO: ≈ concurrency 34.9",
                "next: run concurrency 48 to halve the bracket [32, 64]",
                "limiting factor: kv_capacity",
                "util095          failed_to_start  out_of_memory      starts    server: torch.OutOfMemoryError",
                "DISAGREE: planner predicted a start; the server ran out of memory",
                "Wrote " + sweep.resolve("analysis.json"));
        assertThat(r.out()).containsPattern("\\s+32\\s+1\\s+1,100.0\\s+90 ms\\s+16 ms\\s+1.40 s\\s+0.0%\\s+pass");
        assertThat(r.out()).containsPattern("\\s+64\\s+1\\s+1,150.0\\s+600 ms\\s+17 ms\\s+2.20 s\\s+0.0%\\s+fail");
        JsonNode j = new ObjectMapper().readTree(sweep.resolve("analysis.json").toFile());
        assertThat(j.get("best").get("concurrency").asInt()).isEqualTo(32);
        assertThat(j.get("slo_source").asText()).isEqualTo("playbook chat default");
    }

    @Test
    void measuredAgainstPredictedPrintsTheDifferencesAndOutChoosesTheFolder(@TempDir Path tmp) throws IOException {
        CliRun r = CliRun.headroom("analyze", FIXTURES.resolve("compare/measured").toString(),
                FIXTURES.resolve("compare/predicted-c4").toString(), FIXTURES.resolve("compare/predicted-c8").toString(),
                "--slo", "p95_e2el=2s", "--out", tmp.resolve("report").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Measured against predicted")
                .containsPattern("default\\s+chat\\s+t4\\s+4 output_throughput\\s+300.00\\s+320.00\\s+\\+6.7%");
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("report/analysis.json").toFile());
        assertThat(j.get("comparison")).hasSize(6);
        assertThat(j.get("slo_source").asText()).isEqualTo("--slo p95_e2el=2s");
        assertThat(FIXTURES.resolve("compare/measured/analysis.json")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing folder   | nowhere                  |                  | is not a folder
            no results       | empty                    |                  | holds neither capacity.csv
            bad --slo        | sweep                    | p95_e2el=fast    | --slo: 'p95_e2el=fast' has no valid duration
            unmeasured key   | sweep                    | p97_e2el=1s      | --slo: the results hold no p97_e2el_ms
            """)
    void badInputExitsTwoWithOneLine(String what, String dir, String slo, String message, @TempDir Path tmp)
            throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        copy(FIXTURES.resolve("kv-sweep"), tmp.resolve("sweep"));
        String[] args = slo == null ? new String[] {"analyze", tmp.resolve(dir).toString()}
                : new String[] {"analyze", tmp.resolve(dir).toString(), "--slo", slo};
        CliRun r = CliRun.headroom(args);
        assertThat(r.exit()).as(what).isEqualTo(2);
        assertThat(r.err()).startsWith("headroom: ").contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(tmp.resolve(dir).resolve("analysis.json")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown objective      | --objective=cheap                       | --objective: 'cheap' is no objective; use latency or throughput
            objective w/o workload | --objective==latency                    | --objective: '=latency' names no workload
            deadline alone         | --deadline=2h                           | --deadline needs --job-requests N
            job alone              | --job-requests=100                      | --job-requests needs --deadline
            bad deadline           | --job-requests=100 --deadline=soon      | 'soon' is not a duration
            no requests            | --job-requests=0 --deadline=2h          | --job-requests must be at least 1, was 0
            """)
    void badObjectiveOrJobExitsTwoWithOneLine(String what, String options, String message, @TempDir Path tmp) throws IOException {
        Path sweep = copy(FIXTURES.resolve("kv-sweep"), tmp.resolve("sweep"));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("analyze", sweep.toString()));
        args.addAll(java.util.List.of(options.split(" ")));
        CliRun r = CliRun.headroom(args.toArray(String[]::new));
        assertThat(r.exit()).as(what).isEqualTo(2);
        assertThat(r.err()).as(what).contains(message);
        assertThat(sweep.resolve("analysis.json")).doesNotExist();
    }

    @Test
    void aBatchJobAndAnObjectiveAreRecordedInTheRecommendation(@TempDir Path tmp) throws IOException {
        Path sweep = copy(FIXTURES.resolve("kv-sweep"), tmp.resolve("sweep"));
        CliRun r = CliRun.headroom("analyze", sweep.toString(), "--objective", "throughput", "--job-requests", "1000",
                "--deadline", "2h");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rec = new ObjectMapper().readTree(sweep.resolve("analysis.json").toFile()).get("recommendation");
        assertThat(rec.get("objective").asText()).isEqualTo("throughput");
        assertThat(rec.get("objective_source").asText()).isEqualTo("--objective throughput");
        assertThat(rec.get("concurrency").asInt()).as("64 preempts, so the highest clean throughput").isEqualTo(32);
        assertThat(rec.get("next_load").get("concurrency").asInt()).isEqualTo(64);
        assertThat(rec.get("next_load").get("server_preemptions").asDouble()).isEqualTo(37);
        assertThat(rec.get("job").get("requests").asInt()).isEqualTo(1000);
        assertThat(rec.get("job").get("deadline_s").asDouble()).isEqualTo(7200);
        assertThat(rec.get("trade_off")).hasSizeGreaterThan(2);
        assertThat(rec.get("reason").asText()).startsWith("It gives the highest output throughput");
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }
}
