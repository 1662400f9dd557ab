package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NumberListsTest {

    @Test
    void listsRangesAndMixes() {
        assertThat(NumberLists.integers("--concurrency", "1,2,4")).containsExactly(1, 2, 4);
        assertThat(NumberLists.integers("--concurrency", "1..64x2")).containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(NumberLists.integers("--concurrency", "8..32+8")).containsExactly(8, 16, 24, 32);
        assertThat(NumberLists.integers("--concurrency", "1,10..30+10")).containsExactly(1, 10, 20, 30);
        assertThat(NumberLists.doubles("--gpu-memory-utilization", "0.8,0.9")).containsExactly(0.8, 0.9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a,b", "64..1x2", "1..8x1", "1..8+0", "1.5"})
    void rejectsWhatIsNotAList(String text) {
        assertThatThrownBy(() -> NumberLists.integers("--concurrency", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--concurrency: ");
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "2s,2000", "1.5s,1500", "1m,60000", "1h,3600000"})
    void durations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "2 sec", "-1s", "ms"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("is not a duration");
    }
}
