package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.results.RequestLog;
import dev.headroom.results.SummaryJson;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import dev.headroom.workload.TokenCounter;
import dev.headroom.workload.Trace;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the live paths deliver on a quiet machine: wall-clock figures that a loaded machine changes, so a benchmark
 * ({@code ./build -Pbench test}), not a unit test. The unit tests of the same commands assert what holds on any
 * machine (the checks a point carries, the schedule a server kept); these assert that a quiet machine passes them.
 */
@Tag("bench")
class LiveDeliveryBenchTest {

    @Test
    void aLiveSweepOnTheEmbeddedSimulatorDeliversEveryLoad(@TempDir Path dir) throws IOException {
        CliRun r = SweepCommandTest.sweep(dir, "--concurrency", "1,2,4");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(SweepCommandTest.rows(dir)).hasSize(3).allSatisfy(row -> assertThat(row)
                .containsEntry("valid", "true").containsEntry("client_limited", "false"));
    }

    @Test
    void runMeasuresTheScheduleServersTokenIntervalWithinAMillisecond(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(5), Duration.ofMillis(10)), 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "32",
                    "--output-tokens", "50", "--concurrency", "16", "--requests", "64", "--out", dir.toString(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
            assertThat(((Number) summary.get("median_tpot_ms")).doubleValue()).isBetween(9.0, 11.0);
            assertThat(summary).containsEntry("valid", true);
        }
    }

    @Test
    void theClientsTpotOnTheEmbeddedSimulatorIsOfflinesWithin15Percent(@TempDir Path dir) throws IOException {
        String[] load = {"--workload", "random", "--input-tokens", "128", "--output-tokens", "64", "--concurrency", "8",
                "--requests", "24", "--no-progress"};
        CliRun live = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--out", dir.resolve("live").toString()}, load));
        CliRun offline = CliRun.headroom(SweepCommandTest.concat(
                new String[] {"run", "--offline", "--out", dir.resolve("offline").toString()}, load));
        assertThat(live.exit()).as(live.err()).isZero();
        assertThat(offline.exit()).as(offline.err()).isZero();
        double liveTpot = ((Number) SummaryJson.read(dir.resolve("live/summary.json")).get("median_tpot_ms")).doubleValue();
        double offlineTpot = ((Number) SummaryJson.read(dir.resolve("offline/summary.json")).get("median_tpot_ms")).doubleValue();
        // The live run adds only wall-clock delivery delays (sub-millisecond at the median on a quiet machine).
        assertThat(liveTpot).isCloseTo(offlineTpot, Percentage.withPercentage(15));
    }

    @Test
    void aLiveTraceReplaySendsEachRequestWithinATraceGapOfItsTime(@TempDir Path dir) throws IOException, URISyntaxException {
        CliRun r = CliRun.headroom("run", "--trace", RealismCliTest.mooncake().toString(), "--time-scale", "0.2", "--out",
                dir.toString(), "--no-progress");
        assertThat(r.exit()).as(r.err()).isZero();
        long[] offsets = Trace.read(RealismCliTest.mooncake()).replay(0, 0.2, 0, TokenCounter.cl100k()).offsetsNanos();
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        assertThat(records).hasSize(offsets.length)
                .allSatisfy(rec -> assertThat(rec.clientQueueNanos()).isBetween(0L, 100_000_000L));
    }
}
