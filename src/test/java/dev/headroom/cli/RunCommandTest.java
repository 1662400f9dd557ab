package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.RequestLog;
import dev.headroom.results.RunYaml;
import dev.headroom.results.SummaryJson;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom run} end to end against an in-process server with a known token schedule. */
class RunCommandTest {

    @Test
    void theIssuesDoneCommandMeasuresTheServersTrueTokenInterval(@TempDir Path dir) throws IOException {
        Schedule schedule = Schedule.of(Duration.ofMillis(5), Duration.ofMillis(10));
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            Path out = dir.resolve("run");
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "32",
                    "--output-tokens", "50", "--concurrency", "16", "--requests", "64", "--out", out.toString(),
                    "--no-progress", "--api-key-env", "HOME");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Serving Benchmark Result").contains("Successful requests:                     64");
            Map<String, Object> summary = SummaryJson.read(out.resolve("summary.json"));
            assertThat(((Number) summary.get("completed")).intValue()).isEqualTo(64);
            assertThat(((Number) summary.get("failed")).intValue()).isZero();
            assertThat(((Number) summary.get("total_output_tokens")).longValue()).isEqualTo(3200);
            assertThat(((Number) summary.get("total_input_tokens")).longValue()).isEqualTo(64 * 32);
            // The server never sends a token before it falls due, so every request takes at least its schedule.
            assertThat(RequestLog.read(out.resolve("requests.jsonl"))).allSatisfy(rec ->
                    assertThat(rec.e2elNanos()).isGreaterThanOrEqualTo((5 + 49 * 10) * 1_000_000L));
            // TPOT is 10 ms on the server's schedule, off by at most what the server's writes lagged it and the client's
            // threads were held up (a loaded machine does both), spread over a request's 49 intervals.
            double slipMs = server.takeLateness().getMaxValue() / 1e6 + ((Number) summary.get("client_lag_max_ms")).doubleValue();
            double tolerance = 1 + slipMs / 49;
            assertThat(((Number) summary.get("median_tpot_ms")).doubleValue()).isBetween(10 - tolerance, 10 + tolerance);
            assertThat(summary).containsEntry("tokenizer", "server").containsKey("client_limited");
            assertThat(((Number) summary.get("server_generation_tokens")).longValue()).isEqualTo(3200);
            assertThat(((Number) summary.get("server_requests_finished")).longValue()).isEqualTo(64);
            assertThat(RequestLog.read(out.resolve("requests.jsonl"))).hasSize(64)
                    .allSatisfy(rec -> assertThat(rec.requestId()).startsWith("headroom-"));
            Map<String, Object> run = RunYaml.read(out.resolve("run.yaml"));
            assertThat(run.toString()).contains("headroom-schedule").contains("schedule-model").contains("api_key_env=HOME");
            String home = System.getenv("HOME");
            if (home != null && home.length() > 3) {
                for (String f : new String[] {"run.yaml", "summary.json", "requests.jsonl"}) {
                    assertThat(Files.readString(out.resolve(f))).doesNotContain("Bearer").doesNotContain(home + "\n");
                }
            }
        }
    }

    @Test
    void withoutServerUsageOutputTokensAreContentChunksAndTheRunSaysSo(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(2)).withoutUsage(), 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "16",
                    "--output-tokens", "12", "--concurrency", "4", "--requests", "8", "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("100% of completed requests had no usage from the server");
            Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
            assertThat(((Number) summary.get("total_output_tokens")).longValue()).isEqualTo(8 * 12);
            assertThat(((Number) summary.get("usage_reported_fraction")).doubleValue()).isZero();
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndExitTwoWithinSeconds(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        CliRun r = CliRun.headroom("run", "--url", "http://127.0.0.1:" + port, "--out", dir.toString(), "--no-progress");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("headroom: cannot reach http://127.0.0.1:" + port + ": connection refused" + System.lineSeparator());
        // A refused connection is final: no waiting out the 10-minute --request-timeout (the bound leaves room for a busy machine).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aServerThatNeverAnswersIsOneLineAndExitTwoWithinSeconds(@TempDir Path dir) throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            CliRun r = CliRun.headroom("run", "--url", "http://127.0.0.1:" + silent.getLocalPort(), "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("headroom: cannot reach http://127.0.0.1:" + silent.getLocalPort() + ": no answer within 3 s");
            // The 3 s connect probe decides, not the 10-minute --request-timeout (the bound leaves room for a busy machine).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void maxErrorRateStopsEarlyAndStillWritesEverything(@TempDir Path dir) throws IOException {
        Schedule failing = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STATUS, 503, 0), 1);
        try (ScheduleServer server = ScheduleServer.start(failing, 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "8",
                    "--output-tokens", "4", "--requests", "400", "--max-error-rate", "0.2", "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("stopped early").contains("--max-error-rate");
            Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
            assertThat(((Number) summary.get("failed")).intValue()).isBetween(10, 399);
            assertThat(RequestLog.read(dir.resolve("requests.jsonl"))).allSatisfy(rec -> assertThat(rec.ok()).isFalse());
        }
    }

    @Test
    void aRunInWhichEveryRequestFailedExitsNonZeroWithNullLatencies(@TempDir Path dir) throws IOException {
        Schedule failing = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STATUS, 503, 0), 1);
        try (ScheduleServer server = ScheduleServer.start(failing, 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "8",
                    "--output-tokens", "4", "--requests", "6", "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("no request succeeded").contains("requests.jsonl");
            Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
            assertThat(((Number) summary.get("failed")).intValue()).isEqualTo(6);
            assertThat(summary).containsEntry("median_ttft_ms", null).containsEntry("p99_e2el_ms", null);
        }
    }

    @Test
    void badInputIsOneLineNamingTheOption(@TempDir Path dir) {
        CliRun offlineWithUrl = CliRun.headroom("run", "--offline", "--url", "http://127.0.0.1:1", "--out", dir.toString());
        assertThat(offlineWithUrl.exit()).isEqualTo(2);
        assertThat(offlineWithUrl.err()).startsWith("headroom: --offline simulates the server; it takes no --url");
        CliRun simFlagsWithUrl = CliRun.headroom("run", "--url", "http://127.0.0.1:1", "--max-num-seqs", "64");
        assertThat(simFlagsWithUrl.exit()).isEqualTo(2);
        assertThat(simFlagsWithUrl.err()).startsWith("headroom: --gpu, --calibration, --config and the vLLM serving flags");
        CliRun badApi = CliRun.headroom("run", "--url", "http://127.0.0.1:1", "--api", "embeddings");
        assertThat(badApi.exit()).isEqualTo(2);
        assertThat(badApi.err()).isEqualTo("headroom: --api 'embeddings' is not known; use chat or completions" + System.lineSeparator());
        CliRun badBody = CliRun.headroom("run", "--url", "http://127.0.0.1:1", "--extra-body", "[1]");
        assertThat(badBody.err()).contains("--extra-body '[1]' is not a JSON object");
        CliRun badUrl = CliRun.headroom("run", "--url", "ftp://x");
        assertThat(badUrl.err()).contains("--url 'ftp://x' must be an http:// or https:// URL");
    }

    @Test
    void openLoopRunWithChatWorkload(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(2)), 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl() + "/v1", "--api", "chat", "--workload", "chat",
                    "--input-tokens", "100", "--output-tokens", "10", "--rate", "50", "--burstiness", "2", "--requests", "20",
                    "--concurrency", "8", "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
            assertThat(((Number) summary.get("completed")).intValue()).isEqualTo(20);
            assertThat(((Number) summary.get("total_input_tokens")).longValue()).isEqualTo(20 * 100);
            assertThat(r.out()).contains("Request rate configured (RPS):");
        }
    }
}
