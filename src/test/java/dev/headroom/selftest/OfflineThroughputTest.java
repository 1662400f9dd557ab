package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OfflineThroughputTest {

    @Test
    void simulatesThousandsOfRequestsPerSecondAndSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OfflineThroughput.Result r = OfflineThroughput.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5_000);
        assertThat(r.requests()).isEqualTo(5_000);
        // 5,000 × 128 tokens at 256 in flight: at least 5000·128/256 decode steps.
        assertThat(r.steps()).isGreaterThanOrEqualTo(2_500);
        // Target is 10,000/s on one idle core; a cold JVM on a shared machine still clears 1,000/s.
        assertThat(r.requestsPerSecond()).isGreaterThan(1_000);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("5000 requests").contains("requests/s");
    }
}
