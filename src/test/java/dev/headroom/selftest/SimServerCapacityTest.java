package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The capacity benchmark at a small scale: every stream completes and the figures are measured. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimServerCapacityTest {

    @Test
    void smallRunCompletesEveryStreamAndReportsFigures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimServerCapacity.Result result = SimServerCapacity.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                40, 20, 5);

        assertThat(result.completedStreams()).isEqualTo(40);
        assertThat(result.engine().steps()).isGreaterThanOrEqualTo(20);
        assertThat(result.deliveryMedianNanos()).isPositive().isLessThanOrEqualTo(result.deliveryP99Nanos());
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("40 concurrent streams x 20 tokens", "streams completed:           40 of 40", "delivery");
    }

    @Test
    void rejectsNonsense() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimServerCapacity.run(out, 0, 10, 5)).hasMessageContaining("--streams");
    }
}
