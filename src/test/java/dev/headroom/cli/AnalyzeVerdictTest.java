package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through {@code headroom analyze}: the verdicts a sweep's loads that say nothing about the server (not
 * delivered by the client, or failed inside headroom) used to get wrong. Each sweep folder is written as a real
 * sweep writes it (docs/formats.md: capacity.csv, sweep.json), judged by the playbook's chat SLO (p95 E2E ≤ 1.5 s).
 */
class AnalyzeVerdictTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "config,workload,concurrency,rate,repeat,predicted,status,dir,model,gpu,"
            + "completed,failed,client_failed,short_outputs,duration,request_throughput,output_throughput,p95_ttft_ms,"
            + "median_tpot_ms,p95_e2el_ms,max_concurrent_requests,client_limited,valid,error";

    /** One capacity.csv row of a chat point on a T4; {@code numbers} is null for a point that recorded no summary. */
    private record Row(int concurrency, String status, String numbers, String error) {

        static Row ok(int c, int completed, int failed, int clientFailed, double throughput, double ttft, double e2e,
                      boolean valid) {
            double duration = 40;
            String numbers = completed + "," + failed + "," + clientFailed + ",0," + duration + ","
                    + (completed / duration) + "," + throughput + "," + ttft + ",14.2," + e2e + "," + c + ",false," + valid;
            return new Row(c, "ok", numbers, null);
        }

        String csv() {
            String cells = numbers == null ? ",".repeat(12) : numbers;
            return "default,chat," + concurrency + ",,0,false," + status + ",points/default/chat-c" + concurrency
                    + ",qwen2.5-1.5b-instruct,Tesla T4," + cells + "," + (error == null ? "" : "\"" + error + "\"");
        }
    }

    private static Path sweep(Path dir, Row... rows) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of(HEADER));
        List<Map<String, Object>> points = new ArrayList<>();
        for (Row r : rows) {
            lines.add(r.csv());
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("config", "default");
            p.put("workload", "chat");
            p.put("concurrency", r.concurrency());
            p.put("repeat", 0);
            p.put("status", r.status());
            p.put("dir", "points/default/chat-c" + r.concurrency());
            if (r.error() != null) p.put("error", r.error());  // sweep.json keeps it too, as a sweep writes it
            p.put("summary", null);
            points.add(p);
        }
        Files.writeString(dir.resolve("capacity.csv"), String.join("\n", lines) + "\n");
        Map<String, Object> doc = Map.of("tool", "headroom", "version", "0.1.0", "command", "sweep",
                "inputs", Map.of("workload", "chat", "concurrency", "1,2,4,8,16,32"), "points", points);
        Files.writeString(dir.resolve("sweep.json"), JSON.writeValueAsString(doc));
        return dir;
    }

    private static JsonNode analyze(Path sweep, CliRun r) throws IOException {
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(sweep.resolve("analysis.json").toFile());
    }

    @Test
    void anUndeliveredLoadAtTheSloEdgeNeitherServesNorBoundsTheMaxLoadAndTheVerdictSaysSo(@TempDir Path tmp)
            throws IOException {
        // c=16 meets the SLO on paper, but its run kept fewer than 16 requests in flight (valid = false).
        Path dir = sweep(tmp.resolve("sweep"),
                Row.ok(1, 64, 0, 0, 95, 48, 900, true),
                Row.ok(2, 64, 0, 0, 180, 50, 930, true),
                Row.ok(4, 64, 0, 0, 340, 55, 990, true),
                Row.ok(8, 64, 0, 0, 610, 62, 1100, true),
                Row.ok(16, 64, 0, 0, 720, 70, 1240, false));
        CliRun r = CliRun.headroom("analyze", dir.toString());
        JsonNode j = analyze(dir, r);

        assertThat(j.at("/best/concurrency").asInt()).isEqualTo(8);
        assertThat(j.at("/max_load_under_slo/concurrency").asInt()).as("the highest delivered load").isEqualTo(8);
        assertThat(j.at("/max_load_under_slo/next_load").asInt()).isEqualTo(16);
        assertThat(j.get("verdict").asText()).startsWith("Serve chat at concurrency 8: 610 tok/s, p95 E2E 1.10 s.")
                .contains("Concurrency 16 met the SLO but was not delivered by the client: the run did not deliver "
                        + "that load (it failed a validity check).");
        assertThat(r.out()).contains("max load under the SLO: concurrency 8 (low: every delivered load up to "
                + "concurrency 8 met the SLO");
    }

    @Test
    void aToolErrorInAPointIsHeadroomsFailureWithItsCauseAndNoEvidenceAboutTheServer(@TempDir Path tmp)
            throws IOException {
        String cause = "java.lang.IllegalStateException: tokenizer returned no tokens for prompt 17";
        Path dir = sweep(tmp.resolve("sweep"),
                Row.ok(1, 64, 0, 0, 95, 48, 900, true),
                Row.ok(2, 64, 0, 0, 180, 50, 930, true),
                Row.ok(4, 64, 0, 0, 340, 55, 990, true),
                Row.ok(8, 64, 0, 0, 610, 62, 1100, true),
                new Row(16, "tool_error", null, cause),
                Row.ok(32, 64, 0, 0, 800, 700, 2600, true));
        CliRun r = CliRun.headroom("analyze", dir.toString());
        JsonNode j = analyze(dir, r);

        assertThat(j.get("verdict").asText()).contains("Concurrency 16: headroom failed during the point: " + cause);
        assertThat(j.at("/limiting_factor/factor").asText()).isNotEqualTo("errors");
        assertThat(j.at("/max_load_under_slo/bracket").toString()).as("c=16 bounds nothing").isEqualTo("[8,32]");
        assertThat(j.at("/groups/0/points").findValues("concurrency")).extracting(JsonNode::asInt)
                .containsExactly(1, 2, 4, 8, 32);
        assertThat(r.out()).contains("concurrency 16: headroom failed during the point: " + cause)
                .doesNotContain("requests fail");
    }

    @Test
    void requestsTheClientFailedAreTheClientsNotTheServers(@TempDir Path tmp) throws IOException {
        // As against llama-server: 2 of 32 requests at c=1 failed as connection_closed on a reused connection.
        Path dir = sweep(tmp.resolve("sweep"),
                Row.ok(1, 30, 2, 2, 95, 48, 900, true),
                Row.ok(2, 32, 0, 0, 180, 50, 930, true),
                Row.ok(4, 32, 0, 0, 340, 55, 990, true),
                Row.ok(8, 32, 0, 0, 610, 62, 1100, true),
                Row.ok(16, 32, 0, 0, 700, 300, 2300, true));
        CliRun r = CliRun.headroom("analyze", dir.toString());
        JsonNode j = analyze(dir, r);

        assertThat(r.out()).doesNotContain("requests fail").doesNotContain("max load under the SLO: none");
        assertThat(j.at("/limiting_factor/factor").asText()).isNotEqualTo("errors");
        assertThat(j.at("/best/concurrency").asInt()).isEqualTo(8);
        assertThat(j.at("/max_load_under_slo/bracket").toString()).isEqualTo("[8,16]");
        assertThat(j.get("verdict").asText()).startsWith("Serve chat at concurrency 8")
                .contains("Concurrency 1 met the SLO but was not delivered by the client: the client lost 2 of 32 requests");
        assertThat(j.at("/groups/0/points/0/error_rate").asDouble()).as("the server failed none").isZero();
    }
}
