package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class OfflineThroughputTest {

    @Test
    void simulatesEveryRequestAndSaysHowFast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OfflineThroughput.Result r = OfflineThroughput.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1_000);
        assertThat(r.requests()).isEqualTo(1_000);
        // 1,000 × 128 tokens at 256 in flight: at least 1000·128/256 decode steps.
        assertThat(r.steps()).isGreaterThanOrEqualTo(500);
        assertThat(r.requestsPerSecond()).isPositive();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("1000 requests").contains("requests/s");
    }

    @Test
    @Tag("bench") // Asserts a rate of the machine it runs on: a benchmark, not a unit test.
    void simulatesThousandsOfRequestsPerSecond() {
        OfflineThroughput.Result r = OfflineThroughput.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 5_000);
        assertThat(r.requests()).isEqualTo(5_000);
        // Target is 10,000/s on one idle core; a cold JVM on a shared machine still clears 1,000/s.
        assertThat(r.requestsPerSecond()).isGreaterThan(1_000);
    }
}
