package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.Telemetry;
import dev.headroom.metrics.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryCsvTest {

    @Test
    void samplesAreWrittenUnderTheirColumnsAndReadBackWithEmptyCellsAsNaN(@TempDir Path dir) throws IOException {
        Telemetry t = new Telemetry(List.of(new TelemetrySample(0, 0.1, 0, 0, 5, 0, 0),
                new TelemetrySample(0.5, 0.9, 8, 3, Double.NaN, 30, 100)));
        Path file = dir.resolve("telemetry.csv");
        TelemetryCsv.write(file, t);
        assertThat(Files.readAllLines(file)).hasSize(3).first().isEqualTo(String.join(",", TelemetrySample.COLUMNS));
        Map<String, double[]> columns = TelemetryCsv.read(file);
        assertThat(columns.get("t_s")).containsExactly(0.0, 0.5);
        assertThat(columns.get("num_requests_running")).containsExactly(0.0, 8.0);
        assertThat(columns.get("num_preemptions_total")[1]).isNaN();
        assertThat(TelemetryCsv.read(dir.resolve("absent.csv"))).isEmpty();
    }
}
