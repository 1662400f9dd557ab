package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientHealthTest {

    /** Never sends: the watch only reads its I/O threads' CPU time. */
    private final StreamingClient client = new StreamingClient(Endpoint.parse("http://127.0.0.1:9"), Map.of(), Duration.ofSeconds(1));

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void lateOpenLoopDispatchMarksTheRunClientLimited() {
        ClientHealth health = ClientHealth.start(client);
        for (int i = 0; i < 100; i++) health.recordDispatchLag(12_000_000L);
        ClientHealth.Report report = health.stop();
        assertThat(report.dispatchLagP99Ms()).isCloseTo(12.0, within(0.1));
        assertThat(report.clientLimited()).isTrue();
        assertThat(report.reason()).isNotBlank();
        assertThat(report.toMap()).containsEntry("client_limited", true).containsKeys("client_cpu_seconds", "client_lag_p99_ms",
                "client_io_threads", "client_io_busy_max");
    }

    @Test
    void aQuietClientIsNotLimitedByDispatch() {
        ClientHealth health = ClientHealth.start(client);
        for (int i = 0; i < 100; i++) health.recordDispatchLag(50_000L);
        ClientHealth.Report report = health.stop();
        assertThat(report.dispatchLagP99Ms()).isLessThan(0.1);
        assertThat(report.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        if (report.reason() != null) assertThat(report.reason()).doesNotContain("dispatch");
    }

    @Test
    void aSaturatedIoThreadLimitsTheClientWhileTheProcessLooksIdle() {
        // 1 of 16 cores busy is 6% of the process's share: only the I/O thread's own figure shows the limit.
        String reason = ClientHealth.limit(0.07, 16, 0.93, 1, 0.2, 0);
        assertThat(reason).contains("busiest I/O thread").contains("93%").contains("1 I/O thread)");
        assertThat(ClientHealth.limit(0.07, 16, 0.40, 2, 0.2, 0)).isNull();
    }

    @Test
    void aQuietWatchReportsItsIoThreads() {
        ClientHealth.Report report = ClientHealth.start(client).stop();
        assertThat(report.ioThreads()).isEqualTo(StreamingClient.ioThreads(Runtime.getRuntime().availableProcessors()));
        assertThat(report.ioBusyMax()).isBetween(0.0, 1.0);
    }
}
