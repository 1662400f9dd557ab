package dev.headroom.metrics;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scrape of the NVIDIA DCGM exporter as a {@link GpuSample}. The exporter labels each GPU's series with
 * {@code gpu} (the index), {@code UUID}, {@code device}, {@code modelName} and {@code Hostname}; its default counters
 * (etc/default-counters.csv in NVIDIA/dcgm-exporter) include power in W, utilisation in %, frame buffer used in MiB
 * and, where the GPU supports profiling, the {@code DCGM_FI_PROF_*} fractions read here.
 */
final class DcgmReading {

    static final String POWER = "DCGM_FI_DEV_POWER_USAGE";
    static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    static final List<String> PROF = List.of("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_PROF_SM_ACTIVE",
            "DCGM_FI_PROF_DRAM_ACTIVE", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE");
    private static final Map<String, String> PLAIN = Map.of(POWER, "GPU power", UTIL, "GPU utilisation",
            FB_USED, "GPU memory in use");

    private DcgmReading() {}

    /** What the scrapes of one window showed: the GPUs listed and the metrics present, for the warnings. */
    static final class Seen {
        private final Set<String> gpus = new TreeSet<>();
        private final Set<String> metrics = new LinkedHashSet<>();

        /** One line per cause of a value not measured. */
        List<String> warnings(URI uri, Integer gpuIndex) {
            List<String> w = new ArrayList<>();
            if (gpuIndex != null && !gpus.isEmpty() && !gpus.contains(gpuIndex.toString())) {
                w.add("the DCGM exporter at " + uri + " lists GPUs " + gpus + " but not --gpu-index " + gpuIndex
                        + ": GPU telemetry is not measured");
                return w;
            }
            for (String m : List.of(POWER, UTIL, FB_USED)) {
                if (!metrics.contains(m)) w.add("the DCGM exporter at " + uri + " has no " + m + ": " + PLAIN.get(m) + " is not measured");
            }
            return w;
        }
    }

    /**
     * The sample of {@code e} at {@code tSeconds}: the GPU {@code gpuIndex}, or every GPU combined
     * ({@link GpuSample#combine}); empty when the exposition has none of the exporter's GPU metrics.
     */
    static Optional<GpuSample> of(PrometheusExposition e, Integer gpuIndex, double tSeconds, Seen seen) {
        Map<String, double[]> byGpu = new TreeMap<>();
        List<String> names = new ArrayList<>(List.of(POWER, UTIL, FB_USED));
        names.addAll(PROF);
        for (int i = 0; i < names.size(); i++) {
            for (PrometheusExposition.Sample s : e.samples(names.get(i))) {
                String gpu = s.labels().getOrDefault("gpu", "");
                seen.gpus.add(gpu);
                seen.metrics.add(names.get(i));
                if (gpuIndex != null && !gpu.equals(gpuIndex.toString())) continue;
                byGpu.computeIfAbsent(gpu, g -> nans(names.size()))[i] = s.value();
            }
        }
        if (byGpu.isEmpty()) return Optional.empty();
        List<GpuSample> gpus = byGpu.values().stream()
                .map(v -> new GpuSample(tSeconds, v[0], v[1], v[2], v[3], v[4], v[5], v[6])).toList();
        return Optional.of(GpuSample.combine(tSeconds, gpus));
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }
}
