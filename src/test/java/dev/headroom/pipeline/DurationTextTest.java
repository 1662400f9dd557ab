package dev.headroom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"600000, 10m", "5000, 5s", "90000, 90s", "500, 500ms", "0, 0ms", "1500, 1500ms"})
    void writesDurationsAsTheCommandLineReadsThem(long millis, String text) {
        assertThat(DurationText.of(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
