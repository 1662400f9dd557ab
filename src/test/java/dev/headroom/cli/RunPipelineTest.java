package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.results.RequestLog;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-point pipeline's one meaning of warm-up and durations, on both paths of {@code run}. */
class RunPipelineTest {

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void serverCountersAndTelemetryStartAfterWarmUp(@TempDir Path dir) throws IOException {
        String[] point = {"--workload", "random", "--input-tokens", "16", "--output-tokens", "10", "--concurrency", "2",
                "--requests", "6", "--warmup", "4", "--no-progress"};
        for (String mode : List.of("measured", "predicted")) {
            Path out = dir.resolve(mode);
            String[] head = mode.equals("predicted") ? new String[] {"run", "--offline", "--out", out.toString()}
                    : new String[] {"run", "--out", out.toString()};
            CliRun r = CliRun.headroom(SweepCommandTest.concat(head, point));
            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> summary = SummaryJson.read(out.resolve("summary.json"));
            assertThat(number(summary, "completed")).isEqualTo(6);
            assertThat(number(summary, "server_generation_tokens")).as(mode + ": warm-up tokens left out").isEqualTo(60);
            assertThat(summary).containsKeys("kv_cache_usage_max", "num_requests_running_mean", "server_preemptions");
            assertThat(out.resolve("telemetry.csv")).isRegularFile();
        }
    }

    @Test
    void offlineClosedLoopsCanBeBoundedByADurationAsMeasuredOnesAre(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom("run", "--offline", "--workload", "random", "--input-tokens", "32", "--output-tokens", "16",
                "--concurrency", "4", "--duration", "2s", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        assertThat(records.size()).isGreaterThan(8);
        assertThat(records).allSatisfy(rec -> assertThat(rec.sentNanos()).isLessThan(2_000_000_000L));
        assertThat(records).extracting(RequestRecord::requestId).doesNotHaveDuplicates();
        assertThat(number(SummaryJson.read(dir.resolve("summary.json")), "completed")).isEqualTo(records.size());
    }
}
