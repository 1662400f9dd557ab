package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClientHealthTest {

    @Test
    void lateOpenLoopDispatchMarksTheRunClientLimited() {
        ClientHealth health = ClientHealth.start();
        for (int i = 0; i < 100; i++) health.recordDispatchLag(12_000_000L);
        ClientHealth.Report report = health.stop();
        assertThat(report.dispatchLagP99Ms()).isCloseTo(12.0, within(0.1));
        assertThat(report.clientLimited()).isTrue();
        assertThat(report.reason()).isNotBlank();
        assertThat(report.toMap()).containsEntry("client_limited", true).containsKeys("client_cpu_seconds", "client_lag_p99_ms");
    }

    @Test
    void aQuietClientIsNotLimitedByDispatch() {
        ClientHealth health = ClientHealth.start();
        for (int i = 0; i < 100; i++) health.recordDispatchLag(50_000L);
        ClientHealth.Report report = health.stop();
        assertThat(report.dispatchLagP99Ms()).isLessThan(0.1);
        assertThat(report.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        if (report.reason() != null) assertThat(report.reason()).doesNotContain("dispatch");
    }
}
