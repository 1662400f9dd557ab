package dev.headroom.metrics;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a measured run reads the GPU's power and utilisation ({@code --gpu-metrics}): the NVIDIA DCGM exporter's
 * {@code /metrics}, nvidia-smi as a child process, or nowhere.
 */
public sealed interface GpuMetrics permits GpuMetrics.Off, GpuMetrics.Dcgm, GpuMetrics.Smi {

    /** No GPU sampling. */
    GpuMetrics OFF = new Off();

    /** Starts sampling now, every {@code interval}, for the measured window that opens now. */
    GpuSampler start(Duration interval);

    /** No GPU sampling: {@code --gpu-metrics none}, no nvidia-smi on PATH, or a simulated server. */
    record Off() implements GpuMetrics {
        @Override
        public GpuSampler start(Duration interval) {
            return GpuSampler.OFF;
        }
    }

    /**
     * The DCGM exporter at {@code metrics}, scraped on the server's schedule.
     *
     * @param gpuIndex the GPU to keep (the exporter's {@code gpu} label), or null for all of them combined
     */
    record Dcgm(URI metrics, Integer gpuIndex) implements GpuMetrics {
        @Override
        public GpuSampler start(Duration interval) {
            return DcgmScraper.start(metrics, gpuIndex, interval);
        }
    }

    /**
     * nvidia-smi at {@code executable}, looping every interval as a child of this process.
     *
     * @param gpuIndex the GPU to keep (nvidia-smi's {@code index}), or null for all of them combined
     */
    record Smi(Path executable, Integer gpuIndex) implements GpuMetrics {
        @Override
        public GpuSampler start(Duration interval) {
            return NvidiaSmiSampler.start(executable, gpuIndex, interval);
        }
    }

    /**
     * The source {@code --gpu-metrics VALUE --gpu-index N} names: {@code none}; a DCGM exporter URL (http or https;
     * {@code /metrics} when it has no path); {@code nvidia-smi} (from PATH) or the path of an nvidia-smi executable.
     * Without a value: nvidia-smi when it is on PATH and a real server is measured, else none.
     *
     * @param value           the option's value, or null when not given
     * @param gpuIndex        {@code --gpu-index}, or null for every GPU combined
     * @param simulatorServes whether headroom's own simulator serves (its GPU is simulated: nothing to sample)
     */
    static GpuMetrics parse(String value, Integer gpuIndex, boolean simulatorServes) {
        if (gpuIndex != null && gpuIndex < 0) {
            throw new IllegalArgumentException("--gpu-index " + gpuIndex + " is not accepted; use a GPU index >= 0 (nvidia-smi's index, DCGM's gpu label)");
        }
        if (value == null) return simulatorServes ? OFF : onPath().<GpuMetrics>map(p -> new Smi(p, gpuIndex)).orElse(OFF);
        String v = value.strip();
        if (v.equals("none")) return OFF;
        if (v.startsWith("http://") || v.startsWith("https://")) {
            URI uri = URI.create(v);
            return new Dcgm(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
                    ? uri.resolve("/metrics") : uri, gpuIndex);
        }
        if (v.equals("nvidia-smi")) {
            return new Smi(onPath().orElseThrow(() -> new IllegalArgumentException("--gpu-metrics nvidia-smi: no "
                    + "nvidia-smi on PATH; use its path, a DCGM exporter URL (http://HOST:9400/metrics) or none")), gpuIndex);
        }
        Path exe = Path.of(v);
        if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
            throw new IllegalArgumentException("--gpu-metrics '" + value + "' is not accepted; use a DCGM exporter URL "
                    + "(http://HOST:9400/metrics), nvidia-smi, the path of an nvidia-smi executable, or none");
        }
        return new Smi(exe, gpuIndex);
    }

    /** nvidia-smi on PATH, if any. */
    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path exe = Path.of(dir, "nvidia-smi");
            if (Files.isRegularFile(exe) && Files.isExecutable(exe)) return Optional.of(exe);
        }
        return Optional.empty();
    }
}
