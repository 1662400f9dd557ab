package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PointErrorsTest {

    @Test
    void aPointWhereMostRequestsFailedIsNotServed() {
        PointErrors e = PointErrors.of(Map.of("completed", 9.0, "failed", 23.0)::get);
        assertThat(e.serverErrorRate()).isCloseTo(23.0 / 32, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.served(PointErrors.DEFAULT_MAX_ERROR_RATE)).isFalse();
        assertThat(e.describe()).isEqualTo("23 of 32 failed");
    }

    @Test
    void requestsTheClientFailedDoNotCountAgainstTheServer() {
        PointErrors e = PointErrors.of(Map.of("completed", 30.0, "failed", 2.0, "client_failed", 2.0)::get);
        assertThat(e.serverErrorRate()).isZero();
        assertThat(e.clientErrorRate()).isEqualTo(2.0 / 32);
        assertThat(e.served(0.01)).isTrue();
        assertThat(e.describe()).isEqualTo("2 of 32 failed (2 by the client)");
    }

    @Test
    void outputsTheServerCutShortCountAgainstIt() {
        PointErrors e = PointErrors.of(Map.of("completed", 32.0, "failed", 0.0, "short_outputs", 4.0)::get);
        assertThat(e.serverFailures()).isEqualTo(4);
        assertThat(e.served(0.01)).isFalse();
        assertThat(e.any()).isTrue();
        assertThat(e.describe()).isEqualTo("4 of 32 cut short");
    }

    @Test
    void olderSummariesWithoutTheNewKeysReadAsNoneAndNothingSentIsNotServed() {
        PointErrors e = PointErrors.of(Map.of("completed", 0.0, "failed", 0.0)::get);
        assertThat(e.any()).isFalse();
        assertThat(e.served(1.0)).isFalse();
        assertThat(e.describe()).isEmpty();
    }

    @Test
    void countsThatContradictEachOtherAreRefused() {
        assertThatThrownBy(() -> new PointErrors(1, 1, 2, 0)).hasMessageContaining("client_failed 2 exceeds failed 1");
    }
}
