package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analysis.json keeps the shape docs/formats.md documents: what the reports read. */
class AnalysisJsonTest {

    @Test
    void topLevelIsTheFirstGroupAndGroupsHoldTheRest(@TempDir Path tmp) throws IOException {
        Analysis a = Fixtures.analyze(null, "kv-sweep", "prefill-sweep");
        Path file = tmp.resolve("out/analysis.json");
        AnalysisJson.write(file, a, 0.01);
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        assertThat(j.fieldNames()).toIterable().containsExactly("slo", "slo_source", "max_error_rate", "best", "knee",
                "max_load_under_slo", "limiting_factor", "recommendation", "verdict", "groups");
        assertThat(j.get("slo").get("p95_e2el_ms").asDouble()).isEqualTo(1500.0);
        assertThat(j.get("best").get("concurrency").isInt()).isTrue();
        assertThat(j.get("best").get("concurrency").asInt()).isEqualTo(32);
        assertThat(j.get("best").get("rate").isNull()).isTrue();
        assertThat(j.get("best").get("output_throughput").asDouble()).isEqualTo(1100.0);
        assertThat(j.get("knee").get("concurrency").asInt()).isEqualTo(16);
        JsonNode max = j.get("max_load_under_slo");
        assertThat(max.get("concurrency").asDouble()).isBetween(34.8, 35.0);
        assertThat(max.get("interpolated").asBoolean()).isTrue();
        assertThat(max.get("bracket").toString()).isEqualTo("[32,64]");
        assertThat(max.get("next_load").asInt()).as("the bracket [32, 64] bisected").isEqualTo(48);
        assertThat(j.get("limiting_factor").get("factor").asText()).isEqualTo("kv_capacity");
        assertThat(j.get("limiting_factor").get("evidence")).hasSize(2);
        assertThat(j.get("verdict").asText()).isEqualTo(a.groups().get(0).verdict());
        assertThat(j.get("groups")).hasSize(2);
        JsonNode second = j.get("groups").get(1);
        assertThat(second.get("workload").asText()).isEqualTo("summarize");
        assertThat(second.get("slo").get("p95_e2el_ms").asDouble()).isEqualTo(5000.0);
        assertThat(second.get("max_load_under_slo").get("bracket").toString()).isEqualTo("[16,null]");
        JsonNode point = second.get("points").get(0);
        assertThat(point.get("slo_pass").asBoolean()).isTrue();
        assertThat(point.get("repeats").asInt()).isEqualTo(1);
        assertThat(point.get("spread").get("output_throughput").toString()).isEqualTo("[90.0,90.0]");
    }

    @Test
    void comparisonAppearsOnlyWithBothKinds() {
        assertThat(AnalysisJson.toMap(Fixtures.analyze(null, "kv-sweep"), 0.01)).doesNotContainKey("comparison");
        var map = AnalysisJson.toMap(Fixtures.analyze(null, "compare/measured", "compare/predicted-c4"), 0.01);
        assertThat(map).containsKey("comparison");
        assertThat((java.util.List<?>) map.get("comparison")).hasSize(3);
    }

    @Test
    void noPassingPointWritesANullBest() {
        var map = AnalysisJson.toMap(Fixtures.analyze(null, "none-pass"), 0.01);
        assertThat(map.get("best")).isNull();
        assertThat((String) map.get("verdict")).startsWith("No load meets the SLO");
    }

    @Test
    void theRecommendationHoldsTheObjectiveTheLoadTheNextLoadAndTheTradeOff() {
        var map = AnalysisJson.toMap(Fixtures.analyze(null, "kv-sweep"), 0.01);
        @SuppressWarnings("unchecked")
        var rec = (java.util.Map<String, Object>) map.get("recommendation");
        assertThat(rec.keySet()).containsExactly("objective", "objective_source", "concurrency", "rate", "output_throughput", "p95_e2el_ms",
                "p95_ttft_ms", "median_tpot_ms", "slo_judgement", "reason", "next_load", "slo_bound", "to_confirm", "job", "trade_off");
        assertThat(rec.get("slo_judgement")).isEqualTo("meets");
        assertThat(rec.get("to_confirm")).isNull();
        assertThat(rec.get("objective")).isEqualTo("latency");
        assertThat(rec.get("concurrency")).isEqualTo(32);
        @SuppressWarnings("unchecked")
        var next = (java.util.Map<String, Object>) rec.get("next_load");
        assertThat(next).containsEntry("concurrency", 64).containsEntry("slo_pass", false).containsEntry("slo_judgement", "misses")
                .containsEntry("slo_ratio_range", null).containsEntry("output_throughput", 1150.0)
                .containsEntry("p95_e2el_ms", 2200.0);
        assertThat((java.util.List<?>) rec.get("trade_off")).hasSize(((java.util.List<?>) ((java.util.Map<?, ?>) ((java.util.List<?>) map.get("groups")).get(0)).get("points")).size());
    }
}
