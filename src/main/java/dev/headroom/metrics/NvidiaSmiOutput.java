package dev.headroom.metrics;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * nvidia-smi's query lines read into GPU samples. A line is
 * {@code 2026/12/06 08:33:19.609, 0, 80.23, 0, 0}: {@link #FIELDS} in order, as {@code --format=csv,noheader,nounits}
 * prints them (the timestamp is local time, "YYYY/MM/DD HH:MM:SS.msec" per {@code nvidia-smi --help-query-gpu}).
 * Each loop prints one line per GPU; a GPU index seen again starts the next sample. A value the GPU does not give
 * ({@code [N/A]}, {@code [Not Supported]}) is NaN and named in a warning; any other line (an error message) is kept
 * for the warning about how the child ended.
 */
final class NvidiaSmiOutput {

    /** The fields queried, in {@code --query-gpu} order. */
    static final List<String> FIELDS = List.of("timestamp", "index", "power.draw", "utilization.gpu", "memory.used");

    private static final Map<String, String> PLAIN = Map.of("power.draw", "GPU power",
            "utilization.gpu", "GPU utilisation", "memory.used", "GPU memory in use");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss[.SSS]");
    private static final int MESSAGES_KEPT = 3;

    private final LocalDateTime origin;
    private final Integer gpuIndex;
    private final List<GpuSample> samples = new ArrayList<>();
    private final Map<Integer, GpuSample> loop = new LinkedHashMap<>();
    private double loopTSeconds;
    private final Set<Integer> indices = new TreeSet<>();
    private final Map<String, Set<String>> unavailable = new LinkedHashMap<>();
    private final List<String> messages = new ArrayList<>();

    /**
     * @param origin   local time at which the measured window opened (t = 0)
     * @param gpuIndex the GPU to keep ({@code --gpu-index}), or null for all of them combined
     */
    NvidiaSmiOutput(LocalDateTime origin, Integer gpuIndex) {
        this.origin = origin;
        this.gpuIndex = gpuIndex;
    }

    /** Reads one line; true when it was a reading (of any GPU). */
    boolean accept(String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != FIELDS.size()) return message(line);
        LocalDateTime at;
        int index;
        try {
            at = LocalDateTime.parse(cells[0].strip(), TIMESTAMP);
            index = Integer.parseInt(cells[1].strip());
        } catch (DateTimeParseException | NumberFormatException notAReading) {
            return message(line);
        }
        indices.add(index);
        if (gpuIndex != null && index != gpuIndex) return true;
        if (loop.containsKey(index)) flush();
        if (loop.isEmpty()) loopTSeconds = Duration.between(origin, at).toNanos() / 1e9;
        loop.put(index, GpuSample.basic(loopTSeconds, value(cells, 2, index), value(cells, 3, index), value(cells, 4, index)));
        return true;
    }

    /** The series read so far and the warnings about values not measured. */
    GpuTelemetry finish() {
        flush();
        List<String> warnings = new ArrayList<>();
        unavailable.forEach((field, seen) -> warnings.add("nvidia-smi gives " + field + " as " + String.join(", ", seen)
                + ": " + PLAIN.get(field) + " is not measured"));
        if (gpuIndex != null && !indices.isEmpty() && !indices.contains(gpuIndex)) {
            warnings.add("nvidia-smi lists GPUs " + indices + " but not --gpu-index " + gpuIndex
                    + ": GPU telemetry is not measured");
        }
        return new GpuTelemetry("nvidia-smi", samples, warnings);
    }

    /** The first lines that were not readings (nvidia-smi's own error messages), joined. */
    String messages() {
        return String.join(" / ", messages);
    }

    private void flush() {
        if (loop.isEmpty()) return;
        samples.add(GpuSample.combine(loopTSeconds, List.copyOf(loop.values())));
        loop.clear();
    }

    private double value(String[] cells, int i, int index) {
        String cell = cells[i].strip();
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException notANumber) {
            unavailable.computeIfAbsent(FIELDS.get(i), f -> new TreeSet<>()).add(cell + " (GPU " + index + ")");
            return Double.NaN;
        }
    }

    private boolean message(String line) {
        if (!line.isBlank() && messages.size() < MESSAGES_KEPT) messages.add(line.strip());
        return false;
    }
}
