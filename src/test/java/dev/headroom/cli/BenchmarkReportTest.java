package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.results.BenchmarkReport;
import dev.headroom.results.BrSchema;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run folder's benchmark_report.json (llm-d's Benchmark Report v0.2.1) validates against llm-d's published
 * schema and carries the run's own numbers under the schema's names.
 */
class BenchmarkReportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode report(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve(BenchmarkReport.FILE).toFile());
    }

    @Test
    void aMeasuredRunsReportValidatesAndCarriesItsNumbersWithVllmsDefinitions(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(1)), 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "32",
                    "--output-tokens", "20", "--concurrency", "4", "--requests", "16", "--out", out.toString(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        JsonNode br = report(out);
        assertThat(BrSchema.errors(br)).isEmpty();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(br.path("version").asText()).isEqualTo("0.2.1");
        assertThat(br.path("run").path("keywords").toString()).isEqualTo("[\"measured\"]");
        JsonNode time = br.path("run").path("time");
        Instant start = Instant.parse(time.path("start").asText());
        Instant end = Instant.parse(time.path("end").asText());
        assertThat(Duration.between(start, end)).isEqualTo(Duration.parse(time.path("duration").asText()));

        JsonNode load = br.path("scenario").path("load").path("standardized");
        assertThat(load.path("tool").asText()).isEqualTo("headroom");
        assertThat(load.path("source").asText()).isEqualTo("random");
        assertThat(load.path("concurrency").asInt()).isEqualTo(4);
        assertThat(load.has("rate_qps")).isFalse();
        assertThat(load.path("input_seq_len").toString()).isEqualTo("{\"distribution\":\"fixed\",\"value\":32.0,\"min\":32,\"max\":32}");
        assertThat(load.path("output_seq_len").path("value").asDouble()).isEqualTo(20.0);
        // A server headroom did not start: its GPU is not known, so no accelerator is made up.
        assertThat(br.path("scenario").path("stack").path(0).path("standardized").path("kind").asText()).isEqualTo("generic");

        JsonNode aggregate = br.path("results").path("request_performance").path("aggregate");
        assertThat(aggregate.path("requests").path("total").asInt()).isEqualTo(16);
        assertThat(aggregate.path("requests").path("failures").asInt()).isZero();
        JsonNode latency = aggregate.path("latency");
        // requests.jsonl keeps whole microseconds: the report agrees with summary.json to the microsecond.
        for (String[] m : new String[][] {{"time_to_first_token", "ttft", "ms"}, {"time_per_output_token", "tpot", "ms/token"},
                {"inter_token_latency", "itl", "ms/token"}, {"request_latency", "e2el", "ms"},
                {"normalized_time_per_output_token", "ntpot", "ms/token"}}) {
            JsonNode stats = latency.path(m[0]);
            assertThat(stats.path("units").asText()).as(m[0]).isEqualTo(m[2]);
            assertThat(stats.path("mean").asDouble()).as(m[0]).isCloseTo(summary.path("mean_" + m[1] + "_ms").asDouble(), within(1e-3));
            assertThat(stats.path("p50").asDouble()).as(m[0]).isCloseTo(summary.path("median_" + m[1] + "_ms").asDouble(), within(1e-3));
            assertThat(stats.path("p99").asDouble()).as(m[0]).isCloseTo(summary.path("p99_" + m[1] + "_ms").asDouble(), within(1e-3));
            assertThat(stats.path("p99p9").asDouble()).as(m[0]).isCloseTo(summary.path("p99.9_" + m[1] + "_ms").asDouble(), within(1e-3));
        }
        assertThat(aggregate.path("throughput").path("output_token_rate").path("mean").asDouble())
                .isEqualTo(summary.path("output_throughput").asDouble());
        JsonNode series = br.path("results").path("request_performance").path("time_series").path("throughput")
                .path("request_rate").path("series");
        double finished = 0;
        for (JsonNode p : series) finished += p.path("value").asDouble();
        assertThat(finished).as("requests per second over 1-s buckets add up to the requests").isCloseTo(16, within(1e-9));

        JsonNode headroom = br.path("results").path("observability").path("headroom");
        assertThat(headroom.path("source").asText()).isEqualTo("measured");
        assertThat(headroom.path("validity").isArray()).isTrue();
        assertThat(headroom.path("ttft_split").has("server_metrics_requests")).isTrue();
        assertThat(br.path("results").path("component_health").path(0).path("failed_replicas").asInt()).isZero();
    }

    @Test
    void predictedSweepPointsAreStagesOfOneExperimentOnTheVirtualClock(@TempDir Path dir) throws IOException {
        CliRun r = SweepCommandTest.sweep(dir, "--offline", "--concurrency", "1,2");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode first = report(dir.resolve("points/default/random-c1"));
        JsonNode second = report(dir.resolve("points/default/random-c2"));
        assertThat(BrSchema.errors(first)).isEmpty();
        assertThat(BrSchema.errors(second)).isEmpty();
        assertThat(first.path("run").path("eid")).isEqualTo(second.path("run").path("eid"));
        assertThat(first.path("run").path("uid")).isNotEqualTo(second.path("run").path("uid"));
        assertThat(first.path("scenario").path("load").path("standardized").path("stage").asInt()).isZero();
        assertThat(second.path("scenario").path("load").path("standardized").path("stage").asInt()).isEqualTo(1);
        assertThat(second.path("run").path("keywords").toString()).isEqualTo("[\"predicted\"]");
        assertThat(second.path("run").path("description").asText()).contains("predicted");
        // Virtual time has no wall-clock start: only the duration, and time series from the epoch.
        assertThat(second.path("run").path("time").has("start")).isFalse();
        assertThat(second.path("results").path("request_performance").path("time_series").path("latency")
                .path("request_latency").path("series").path(0).path("ts").asText()).startsWith("1970-01-01T00:00");
        JsonNode engine = second.path("scenario").path("stack").path(0).path("standardized");
        assertThat(engine.path("kind").asText()).isEqualTo("inference_engine");
        assertThat(engine.path("tool").asText()).isEqualTo("headroom-simulator");
        assertThat(engine.path("accelerator").path("model").asText()).isEqualTo("Tesla T4");
        assertThat(second.path("results").path("observability").path("headroom").path("prediction").path("metrics").has("ttft")).isTrue();
        assertThat(second.path("results").has("component_health")).isFalse();
        assertThat(second.at("/results/observability/headroom/plan_vs_server/predicted_kv_cache_tokens").asLong()).isPositive();
    }

    @Test
    void theValidatorRefusesABrokenReport(@TempDir Path dir) throws IOException {
        CliRun r = SweepCommandTest.sweep(dir, "--offline", "--concurrency", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode valid = report(dir.resolve("points/default/random-c2"));
        assertThat(BrSchema.errors(valid)).isEmpty();

        ObjectNode topLevelKey = valid.deepCopy();
        topLevelKey.put("headroom", "extras belong in the sections that allow them");
        assertThat(BrSchema.errors(topLevelKey)).isNotEmpty();

        ObjectNode wrongUnits = valid.deepCopy();
        ((ObjectNode) wrongUnits.at("/results/request_performance/aggregate/latency/time_to_first_token")).put("units", "seconds");
        assertThat(BrSchema.errors(wrongUnits)).isNotEmpty();

        ObjectNode noUid = valid.deepCopy();
        ((ObjectNode) noUid.get("run")).remove("uid");
        assertThat(BrSchema.errors(noUid)).isNotEmpty();

        ObjectNode badTimestamp = valid.deepCopy();
        ((ObjectNode) badTimestamp.at("/results/request_performance/time_series/latency/request_latency/series/0")).put("ts", "yesterday");
        assertThat(BrSchema.errors(badTimestamp)).isNotEmpty();
    }

    @Test
    void measuredPowerGoesToPowerConsumptionAndEnergyPerTokenToTheExtension(@TempDir Path dir) throws IOException {
        CliRun r = SweepCommandTest.sweep(dir, "--offline", "--concurrency", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        Path point = dir.resolve("points/default/random-c2");
        assertThat(report(point).at("/results/observability/components/0/aggregate").has("power_consumption")).isFalse();

        // The power a GPU reader left in summary.json (as nvidia-smi or the DCGM exporter would) goes into the report.
        ObjectNode summary = (ObjectNode) JSON.readTree(point.resolve("summary.json").toFile());
        summary.put("gpu_power_mean_w", 61.5).put("energy_per_output_token_j", 0.42);
        JSON.writeValue(point.resolve("summary.json").toFile(), summary);
        Path file = BenchmarkReport.write(point, dir.resolve("with-power.json"));
        JsonNode br = JSON.readTree(file.toFile());
        assertThat(BrSchema.errors(br)).isEmpty();
        assertThat(br.at("/results/observability/components/0/aggregate/power_consumption").toString())
                .isEqualTo("{\"units\":\"Watts\",\"mean\":61.5}");
        assertThat(br.at("/results/observability/headroom/energy_per_output_token_j").asDouble()).isEqualTo(0.42);
    }
}
