package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReuseMetricsTest {

    private static RequestRecord record(int prompt, int cached, int turn, long ttftMs) {
        long sent = 1_000_000;
        return new RequestRecord("r", 0, sent, new long[] {sent + ttftMs * 1_000_000}, -1, prompt, 1, true, null,
                ConnectionTimings.NONE, cached, turn);
    }

    @Test
    void onceAServerReportsCachedTokensAUsageWithoutThemMeansNoneWereCached() {
        // vLLM leaves prompt_tokens_details out when nothing was cached.
        List<RequestRecord> records = List.of(record(100, 60, -1, 5), record(300, 0, -1, 5), record(1000, -1, -1, 5));
        assertThat(ReuseMetrics.cachedHitRate(records)).isCloseTo(60.0 / 1400, within(1e-12));
        assertThat(ReuseMetrics.cachedHitRate(List.of(record(100, -1, -1, 5)))).isNull();
        assertThat(ReuseMetrics.toMap(records)).containsKey("usage_cached_hit_rate").doesNotContainKey("turns");
    }

    @Test
    void turnsAreSummarisedInTurnOrderWithNumpyPercentiles() {
        List<RequestRecord> records = List.of(record(50, -1, 1, 30), record(10, -1, 0, 10), record(60, -1, 1, 50),
                record(12, -1, 0, 20), RequestRecord.failed("f", 0, 0, 70, RequestError.noTokens()).withTurn(1));
        List<Map<String, Object>> turns = ReuseMetrics.perTurn(records);
        assertThat(turns).extracting(t -> t.get("turn")).containsExactly(0, 1);
        assertThat(turns.get(0)).containsEntry("completed", 2).containsEntry("failed", 0)
                .containsEntry("median_ttft_ms", 15.0).containsEntry("mean_prompt_tokens", 11.0);
        assertThat(turns.get(1)).containsEntry("completed", 2).containsEntry("failed", 1).containsEntry("median_ttft_ms", 40.0);
        assertThat((Double) turns.get(1).get("p95_ttft_ms")).isCloseTo(49.0, within(1e-9));
    }
}
