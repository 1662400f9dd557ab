package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.results.SummaryJson;
import dev.headroom.results.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom sweep} end to end against the embedded simulator and on the virtual clock, with few requests. */
class SweepCommandTest {

    private static final String[] SMALL = {"--input-tokens", "32", "--output-tokens", "8", "--requests", "6"};

    static CliRun sweep(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("sweep", "--out", out.toString()));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(args));
        if (!all.contains("--workload")) all.addAll(List.of("--workload", "random"));
        return CliRun.headroom(all.toArray(String[]::new));
    }

    static List<Map<String, String>> rows(Path dir) throws IOException {
        return CsvTable.read(dir.resolve("capacity.csv"));
    }

    /** The names of the checks in a summary.json's {@code validity}. */
    @SuppressWarnings("unchecked")
    static List<String> validityChecks(Map<String, Object> summary) {
        return ((List<Map<String, Object>>) summary.get("validity")).stream().map(c -> (String) c.get("check")).toList();
    }

    @Test
    void aConcurrencySweepWritesCapacityCsvSweepJsonAndAFolderPerPoint(@TempDir Path dir) throws IOException {
        CliRun r = sweep(dir, "--concurrency", "1,2,4");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> header = List.of(Files.readAllLines(dir.resolve("capacity.csv")).get(0).split(","));
        assertThat(header).startsWith("config", "workload", "concurrency", "rate", "repeat", "predicted", "status", "dir",
                "model", "gpu", "gpu_memory_utilization", "max_model_len", "max_num_seqs", "max_num_batched_tokens",
                "enable_prefix_caching", "enable_chunked_prefill", "completed", "failed", "duration")
                .contains("p95_e2el_ms", "slo_attainment_pct", "request_goodput", "client_limited")
                .contains("num_requests_waiting_mean", "server_preemptions", "server_prefix_cache_hit_rate")
                .contains("prefix_hit_target", "prefix_hit_expected", "usage_cached_hit_rate", "cancelled",
                        "slo_attainment_from_scheduled_pct", "connections_opened")
                .endsWith("median_engine_queue_ms", "median_engine_ttft_ms", "median_ttft_outside_engine_ms",
                        "p95_ttft_outside_engine_ms", "mean_engine_queue_ms", "mean_engine_prefill_ms",
                        "server_mean_queue_time_ms", "error");
        List<Map<String, String>> rows = rows(dir);
        // The embedded simulator reports its per-request metrics: every point has the split, outside the engine >= 0.
        assertThat(rows).allSatisfy(row -> assertThat(Double.parseDouble(row.get("median_ttft_outside_engine_ms"))).isNotNegative());
        // Whether a live point delivered its load is the machine's to decide (a loaded one may leave the client behind,
        // see LiveDeliveryBench): capacity.csv carries each point's own verdict, from the checks its summary.json lists.
        assertThat(rows).allSatisfy(row -> {
            Map<String, Object> summary = SummaryJson.read(dir.resolve(row.get("dir")).resolve("summary.json"));
            assertThat(row.get("valid")).isEqualTo(String.valueOf(summary.get("valid")));
            assertThat(row.get("client_limited")).isEqualTo(String.valueOf(summary.get("client_limited")));
            assertThat(validityChecks(summary)).contains("concurrency_delivered", "client_not_limited");
        });
        assertThat(rows).extracting(m -> m.get("concurrency")).containsExactly("1", "2", "4");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row).containsEntry("config", "default").containsEntry("status", "ok").containsEntry("predicted", "false")
                    .containsEntry("completed", "6").containsEntry("max_num_seqs", "256");
            assertThat(dir.resolve(row.get("dir")).resolve("summary.json")).isRegularFile();
            assertThat(dir.resolve(row.get("dir")).resolve("requests.jsonl")).isRegularFile();
            assertThat(dir.resolve(row.get("dir")).resolve("run.yaml")).isRegularFile();
        });
        assertThat(rows.get(0).get("dir")).isEqualTo("points/default/random-c1");
        JsonNode sweep = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertThat(sweep.get("points")).hasSize(3);
        assertThat(sweep.get("points").get(2).get("summary").get("completed").asInt()).isEqualTo(6);
        assertThat(sweep.get("finished_at").isNull()).isFalse();
        assertThat(sweep.get("inputs").get("slo").get("random").asText()).isEqualTo("p95_e2el=1500ms,e2el=1500ms");
        assertThat(r.err()).contains("point 1/3 default random c=1: ").contains("point 3/3").contains("ETA");
        assertThat(dir.resolve("servers/default/server.log")).isRegularFile();
    }

    @Test
    void resumeRunsOnlyThePointsThatAreMissing(@TempDir Path dir) throws IOException {
        assertThat(sweep(dir, "--concurrency", "1..4x2", "--offline").exit()).isZero();
        String kept = Files.readString(dir.resolve("points/default/random-c1/summary.json"));
        deleteTree(dir.resolve("points/default/random-c4"));
        Files.delete(dir.resolve("points/default/random-c2/summary.json"));
        CliRun again = sweep(dir, "--concurrency", "1..4x2", "--offline");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("--resume");
        CliRun resumed = sweep(dir, "--concurrency", "1..4x2", "--offline", "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).doesNotContain("random c=1:").contains("random c=2:").contains("random c=4:");
        assertThat(Files.readString(dir.resolve("points/default/random-c1/summary.json"))).isEqualTo(kept);
        assertThat(rows(dir)).extracting(m -> m.get("dir")).containsExactlyInAnyOrder(
                "points/default/random-c1", "points/default/random-c2", "points/default/random-c4");
        JsonNode sweep = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertThat(sweep.get("points")).hasSize(3);
    }

    @Test
    void offlineWritesTheSameFilesPredicted(@TempDir Path dir) throws IOException {
        CliRun r = sweep(dir, "--concurrency", "1,2,4", "--workload", "random,chat", "--offline", "--repeat", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Map<String, String>> rows = rows(dir);
        assertThat(rows).hasSize(12).allSatisfy(row -> assertThat(row).containsEntry("predicted", "true")
                .containsEntry("status", "ok").containsEntry("completed", "6"));
        assertThat(rows).extracting(m -> m.get("dir")).contains("points/default/random-c1-r0", "points/default/chat-c4-r1");
        Map<String, Object> summary = SummaryJson.read(dir.resolve("points/default/chat-c4-r1/summary.json"));
        assertThat(summary).containsEntry("predicted", true);
        assertThat(dir.resolve("points/default/chat-c4-r1/requests.jsonl")).isRegularFile();
        assertThat(dir.resolve("points/default/chat-c4-r1/run.yaml")).isRegularFile();
    }

    @Test
    void aClearlyBrokenSloStopsTheRampEarly(@TempDir Path dir) throws IOException {
        CliRun r = sweep(dir, "--concurrency", "1..32x2", "--offline", "--slo", "p95_e2el=1ms");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(rows(dir)).extracting(m -> m.get("concurrency")).containsExactly("1", "2");
        assertThat(r.err()).contains("stopped the random ramp of default early: p95_e2el").contains("skipping 4 point(s)");
        JsonNode stops = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()).get("early_stops");
        assertThat(stops).hasSize(1);
        assertThat(stops.get(0).get("skipped")).hasSize(4);
        CliRun all = sweep(dir.resolve("all"), "--concurrency", "1..8x2", "--offline", "--slo", "p95_e2el=1ms", "--no-early-stop");
        assertThat(rows(dir.resolve("all"))).hasSize(4);
        assertThat(all.exit()).isZero();
    }

    @Test
    void badListsAreOneLineNamingTheOption(@TempDir Path dir) {
        CliRun noLoad = CliRun.headroom("sweep", "--offline", "--out", dir.resolve("a").toString());
        assertThat(noLoad.exit()).isEqualTo(2);
        assertThat(noLoad.err()).startsWith("headroom: sweep needs --concurrency LIST and/or --rate LIST");
        CliRun badRange = CliRun.headroom("sweep", "--offline", "--concurrency", "64..1x2", "--out", dir.resolve("b").toString());
        assertThat(badRange.exit()).isEqualTo(2);
        assertThat(badRange.err().lines()).hasSize(1);
        assertThat(badRange.err()).startsWith("headroom: --concurrency: '64..1x2' is not a number list");
        CliRun badWorkload = CliRun.headroom("sweep", "--offline", "--concurrency", "1", "--workload", "chat,poems",
                "--out", dir.resolve("c").toString());
        assertThat(badWorkload.err()).startsWith("headroom: --workload 'poems' is not known");
        assertThat(dir.resolve("c")).doesNotExist();
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
