package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KneedleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            saturating doubling grid | 1 2 4 8 16 32 64   | 100 190 350 600 900 1100 1150 | 4
            saturating linear grid   | 10 20 30 40 50 60  | 100 200 290 330 340 345        | 2
            straight line            | 1 2 3 4 5          | 10 20 30 40 50                 | -1
            bending upwards          | 1 2 3 4 5          | 10 11 13 20 40                 | -1
            mild bend, not confirmed | 1 2 3 4            | 128 250 360 420                | -1
            two points               | 1 2                | 100 150                        | -1
            flat                     | 1 2 4              | 100 100 100                    | -1
            overload collapse        | 1 2 4 8 16         | 100 400 700 750 600            | 2
            """)
    void findsTheKneeOrNone(String curve, String loads, String throughputs, int knee) {
        assertThat(Kneedle.knee(numbers(loads), numbers(throughputs))).as(curve).isEqualTo(knee);
    }

    private static double[] numbers(String text) {
        return Arrays.stream(text.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }
}
