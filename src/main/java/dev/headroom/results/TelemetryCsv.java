package dev.headroom.results;

import dev.headroom.metrics.GpuSample;
import dev.headroom.metrics.Telemetry;
import dev.headroom.metrics.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code telemetry.csv} (docs/formats.md): the server's {@code /metrics} and the GPU's readings sampled during the
 * measured window, one row per sample in time order ({@link TelemetrySample#COLUMNS}, then
 * {@link GpuSample#COLUMNS} when the GPU was sampled and {@link GpuSample#PROF_COLUMNS} when DCGM gave profiling
 * fractions). A row holds one source's sample, and both when they were taken at the same instant; an empty cell is
 * a value not measured.
 */
public final class TelemetryCsv {

    private TelemetryCsv() {
    }

    /** Writes the samples to {@code file}, replacing it. */
    public static void write(Path file, Telemetry telemetry) throws IOException {
        boolean gpu = !telemetry.gpu().isEmpty();
        boolean prof = telemetry.gpu().hasProf();
        List<String> columns = new ArrayList<>(TelemetrySample.COLUMNS);
        if (gpu) columns.addAll(GpuSample.COLUMNS);
        if (prof) columns.addAll(GpuSample.PROF_COLUMNS);
        Map<Double, double[]> rows = new LinkedHashMap<>();
        for (TelemetrySample s : telemetry.samples()) {
            System.arraycopy(s.values(), 0, rows.computeIfAbsent(s.tSeconds(), t -> empty(columns.size(), t)), 0,
                    TelemetrySample.COLUMNS.size());
        }
        for (GpuSample g : telemetry.gpu().samples()) {
            double[] row = rows.computeIfAbsent(g.tSeconds(), t -> empty(columns.size(), t));
            System.arraycopy(g.values(), 0, row, TelemetrySample.COLUMNS.size(), GpuSample.COLUMNS.size());
            if (prof) {
                System.arraycopy(g.profValues(), 0, row, TelemetrySample.COLUMNS.size() + GpuSample.COLUMNS.size(),
                        GpuSample.PROF_COLUMNS.size());
            }
        }
        List<double[]> ordered = new ArrayList<>(rows.values());
        Collections.sort(ordered, Comparator.comparingDouble(r -> r[0]));
        CsvTable.write(file, columns, ordered.stream().map(r -> Arrays.stream(r).mapToObj(Cells::of).toList()).toList());
    }

    private static double[] empty(int n, double tSeconds) {
        double[] row = new double[n];
        Arrays.fill(row, Double.NaN);
        row[0] = tSeconds;
        return row;
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
