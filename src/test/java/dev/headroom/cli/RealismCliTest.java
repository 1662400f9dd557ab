package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.results.RequestLog;
import dev.headroom.results.RunYaml;
import dev.headroom.results.SummaryJson;
import dev.headroom.workload.Trace;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared prefixes and trace replay through {@code headroom run}, on the embedded simulator and offline. */
class RealismCliTest {

    private static final String[] PREFIX_LOAD = {"--workload", "chat", "--input-tokens", "1024", "--output-tokens", "16",
            "--prefix-hit-target", "0.6", "--prefix-groups", "4", "--requests", "120", "--concurrency", "8", "--no-progress"};

    static double number(Map<String, Object> map, String key) {
        assertThat(map.get(key)).as(key).isInstanceOf(Number.class);
        return ((Number) map.get(key)).doubleValue();
    }

    static String[] args(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    static Path mooncake() throws URISyntaxException {
        return Path.of(RealismCliTest.class.getResource("/dev/headroom/workload/traces/mooncake.jsonl").toURI());
    }

    @Test
    void thePrefixHitTargetIsReachedOnTheEmbeddedSimulatorAsItsMetricsAndUsageReportIt(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(args(new String[] {"run", "--out", dir.toString()}, PREFIX_LOAD));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        // Measured over the measured window from the server's /metrics counters (hits / queries).
        assertThat(number(summary, "server_prefix_cache_hit_rate")).isCloseTo(0.6, within(0.05));
        assertThat(number(summary, "usage_cached_hit_rate")).isCloseTo(number(summary, "server_prefix_cache_hit_rate"), within(0.01));
        assertThat(number(summary, "prefix_hit_target")).isEqualTo(0.6);
        assertThat(number(summary, "prefix_hit_expected")).isCloseTo(0.6, within(0.02));
        assertThat(r.out()).contains("Prefix cache hit target:                 60.0%");
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        assertThat(records.stream().filter(rec -> rec.cachedTokens() > 0)).hasSizeGreaterThan(100);
        assertThat(RunYaml.read(dir.resolve("run.yaml")).get("inputs").toString()).contains("prefix_hit_target=0.6")
                .contains("prefix_groups=4");
    }

    @Test
    void thePrefixHitTargetIsReachedOffline(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(args(new String[] {"run", "--offline", "--out", dir.toString()}, PREFIX_LOAD));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        assertThat(number(summary, "server_prefix_cache_hit_rate")).isCloseTo(0.6, within(0.05));
        assertThat(number(summary, "usage_cached_hit_rate")).isCloseTo(number(summary, "server_prefix_cache_hit_rate"), within(0.01));
    }

    @Test
    void withPrefixCachingOffNothingHitsAndTtftIsHigher(@TempDir Path dir) throws IOException {
        // An open loop below saturation, so TTFT is the prefill itself rather than queueing.
        String[] load = {"--offline", "--workload", "chat", "--input-tokens", "2048", "--output-tokens", "16",
                "--shared-prefix-tokens", "1536", "--prefix-groups", "2", "--requests", "80", "--rate", "4"};
        CliRun on = CliRun.headroom(args(new String[] {"run", "--out", dir.resolve("on").toString()}, load));
        CliRun off = CliRun.headroom(args(new String[] {"run", "--no-enable-prefix-caching", "--out",
                dir.resolve("off").toString()}, load));
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(off.exit()).as(off.err()).isZero();
        Map<String, Object> withCache = SummaryJson.read(dir.resolve("on/summary.json"));
        Map<String, Object> without = SummaryJson.read(dir.resolve("off/summary.json"));
        assertThat(number(withCache, "server_prefix_cache_hit_rate")).isCloseTo(
                number(withCache, "prefix_hit_expected"), within(0.02));
        assertThat(without.get("usage_cached_hit_rate")).isNull();
        assertThat(number(without, "median_ttft_ms")).isGreaterThan(2 * number(withCache, "median_ttft_ms"));
    }

    @Test
    void anOfflineTraceReplayIsSentAtItsScaledTimesAndItsSharedHashIdsHit(@TempDir Path dir)
            throws IOException, URISyntaxException {
        CliRun r = CliRun.headroom("run", "--offline", "--trace", mooncake().toString(), "--time-scale", "0.25",
                "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        long[] offsets = Trace.read(mooncake()).replay(0, 0.25, 0, TokenCounter.cl100k()).offsetsNanos();
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        records.sort(Comparator.comparingLong(RequestRecord::scheduledNanos));
        assertThat(records).hasSize(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            // The virtual clock sends each request exactly at its traced time (µs precision in requests.jsonl).
            assertThat(records.get(i).scheduledNanos()).isEqualTo(offsets[i] / 1000 * 1000);
            assertThat(records.get(i).sentNanos()).isEqualTo(offsets[i] / 1000 * 1000);
        }
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        assertThat(number(summary, "prefix_hit_expected")).isCloseTo(0.545, within(0.001));
        assertThat(number(summary, "server_prefix_cache_hit_rate")).isCloseTo(0.545, within(0.01));
        assertThat(RunYaml.read(dir.resolve("run.yaml")).get("inputs").toString()).contains("workload=trace")
                .contains("time_scale=0.25");
    }

    @Test
    void aLiveTraceReplayKeepsItsTimesAndHitsLikeTheOfflineOne(@TempDir Path dir) throws IOException, URISyntaxException {
        // Trace gaps of 250 ms: a request sharing a prefix reaches the server after the earlier one's prefill, as offline,
        // unless the machine holds the client up for a whole gap (how late the dispatcher is: LiveDeliveryBenchTest).
        CliRun r = CliRun.headroom("run", "--trace", mooncake().toString(), "--time-scale", "0.5", "--out",
                dir.toString(), "--no-progress");
        assertThat(r.exit()).as(r.err()).isZero();
        long[] offsets = Trace.read(mooncake()).replay(0, 0.5, 0, TokenCounter.cl100k()).offsetsNanos();
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        records.sort(Comparator.comparingLong(RequestRecord::scheduledNanos));
        for (int i = 0; i < offsets.length; i++) {
            assertThat(records.get(i).scheduledNanos()).isEqualTo(offsets[i] / 1000 * 1000);
            assertThat(records.get(i).clientQueueNanos()).as("never sent before its traced time").isNotNegative();
        }
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        assertThat(number(summary, "max_concurrent_requests")).as("the replay does not wait for one answer to send the next")
                .isGreaterThan(1);
        assertThat(number(summary, "server_prefix_cache_hit_rate")).isCloseTo(0.545, within(0.01));
    }

    @Test
    void aTraceTakesNoSyntheticWorkloadOrRate(@TempDir Path dir) throws URISyntaxException {
        CliRun r = CliRun.headroom("run", "--trace", mooncake().toString(), "--rate", "3", "--out", dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--trace").contains("drop --rate");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void offlineSessionsReportTurnsAndADatasetKeepsItsOwnTurns(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom("run", "--offline", "--workload", "chat", "--turns", "3", "--think-time", "100ms",
                "--requests", "6", "--concurrency", "2", "--out", dir.resolve("chat").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Per turn:").contains("Successful requests:                     18");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> turns = (List<Map<String, Object>>) SummaryJson.read(dir.resolve("chat/summary.json")).get("turns");
        assertThat(turns).extracting(t -> ((Number) t.get("turn")).intValue()).containsExactly(0, 1, 2);
        assertThat(turns).extracting(t -> ((Number) t.get("mean_prompt_tokens")).doubleValue()).isSorted();
        assertThat(RunYaml.read(dir.resolve("chat/run.yaml")).get("inputs").toString()).contains("turns=3").contains("think_time=PT0.1S");

        Path data = dir.resolve("talks.jsonl");
        Files.writeString(data, """
                {"messages": [{"role": "user", "content": "What is a KV cache?"}, {"role": "assistant", "content": "Keys and values."}, {"role": "user", "content": "Why page it?"}], "output_tokens": 8}
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}], "output_tokens": 8}
                """);
        CliRun d = CliRun.headroom("run", "--offline", "--workload", "dataset:" + data, "--include-multi-turn",
                "--requests", "2", "--out", dir.resolve("data").toString());
        assertThat(d.exit()).as(d.err()).isZero();
        List<RequestRecord> records = RequestLog.read(dir.resolve("data/requests.jsonl"));
        assertThat(records).extracting(RequestRecord::turn).containsExactlyInAnyOrder(0, 1, 0);
    }

    @Test
    void sessionsUnderALongSharedSystemPromptReuseItAndTheirHistory(@TempDir Path dir) throws IOException {
        // The prefix is a system message ahead of every turn: longer than a user turn, and still planned.
        String[] load = {"run", "--offline", "--workload", "chat", "--turns", "4", "--shared-prefix-tokens", "1024",
                "--prefix-groups", "2", "--requests", "8", "--concurrency", "4"};
        CliRun on = CliRun.headroom(args(load, "--out", dir.resolve("on").toString()));
        CliRun off = CliRun.headroom(args(load, "--no-enable-prefix-caching", "--out", dir.resolve("off").toString()));
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(off.exit()).as(off.err()).isZero();
        Map<String, Object> withCache = SummaryJson.read(dir.resolve("on/summary.json"));
        assertThat(number(withCache, "server_prefix_cache_hit_rate")).isGreaterThan(0.7);
        assertThat(withCache.get("prefix_hit_target")).isNull();
        assertThat(number(SummaryJson.read(dir.resolve("off/summary.json")), "median_ttft_ms"))
                .isGreaterThan(number(withCache, "median_ttft_ms"));
    }
}
