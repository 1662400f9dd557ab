package dev.headroom.results;

import dev.headroom.metrics.Telemetry;
import dev.headroom.metrics.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code telemetry.csv} (docs/formats.md): the server's {@code /metrics} sampled during the measured window, one
 * row per sample ({@link TelemetrySample#COLUMNS}); an empty cell where the server exposes nothing.
 */
public final class TelemetryCsv {

    private TelemetryCsv() {
    }

    /** Writes the samples to {@code file}, replacing it. */
    public static void write(Path file, Telemetry telemetry) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (TelemetrySample s : telemetry.samples()) rows.add(Arrays.stream(s.values()).mapToObj(Cells::of).toList());
        CsvTable.write(file, TelemetrySample.COLUMNS, rows);
    }

    /**
     * The columns of {@code file} by name, in file order, each a value per row (NaN for an empty cell); empty when
     * there is no file. Columns are read by their header, so files with other or older columns read too.
     */
    public static Map<String, double[]> read(Path file) throws IOException {
        Map<String, double[]> columns = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return columns;
        List<Map<String, String>> rows = CsvTable.read(file);
        if (rows.isEmpty()) return columns;
        for (String column : rows.get(0).keySet()) {
            columns.put(column, rows.stream().mapToDouble(r -> {
                Double v = Cells.number(r.get(column));
                return v == null ? Double.NaN : v;
            }).toArray());
        }
        return columns;
    }
}
