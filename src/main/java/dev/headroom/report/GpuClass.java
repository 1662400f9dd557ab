package dev.headroom.report;

import dev.headroom.spec.Gpu;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A GPU as a playbook names it ("T4 16 GB") with an assumed on-demand cloud price per hour, the default of
 * {@code --gpu-price-per-hour}. The prices are assumptions (typical 2025 on-demand list prices for one GPU), shown
 * as such wherever a cost is printed.
 */
public record GpuClass(String id, String label, int memoryGb, double defaultPricePerHour) {

    /** Marketing memory size (GB) and assumed USD per GPU-hour of the catalog GPUs. */
    private static final Map<Gpu, double[]> CLASSES = Map.ofEntries(
            Map.entry(Gpu.T4, new double[] {16, 0.35}),
            Map.entry(Gpu.L4, new double[] {24, 0.80}),
            Map.entry(Gpu.A10G, new double[] {24, 1.00}),
            Map.entry(Gpu.RTX3090, new double[] {24, 0.30}),
            Map.entry(Gpu.RTX4090, new double[] {24, 0.60}),
            Map.entry(Gpu.RTX5090, new double[] {32, 0.90}),
            Map.entry(Gpu.A100_40GB, new double[] {40, 1.50}),
            Map.entry(Gpu.A100_80GB, new double[] {80, 1.90}),
            Map.entry(Gpu.A100_80GB_PCIE, new double[] {80, 1.60}),
            Map.entry(Gpu.H100, new double[] {80, 2.90}),
            Map.entry(Gpu.H200, new double[] {141, 3.80}),
            Map.entry(Gpu.L40S, new double[] {48, 1.10}));

    /** The class of a capacity.csv {@code gpu} cell: a catalog id ({@code t4}) or CUDA device name ({@code Tesla T4}). */
    public static GpuClass of(String gpu) {
        String g = gpu.trim();
        return Arrays.stream(Gpu.values())
                .filter(x -> x.id().equalsIgnoreCase(g) || x.deviceName().equalsIgnoreCase(g))
                .findFirst()
                .map(GpuClass::of)
                .orElseGet(() -> new GpuClass(g.isEmpty() ? "gpu" : g.toLowerCase(Locale.ROOT),
                        g.isEmpty() ? "unknown GPU" : g, 0, Double.NaN));
    }

    private static GpuClass of(Gpu gpu) {
        double[] c = CLASSES.get(gpu);
        String name = gpu.id().toUpperCase(Locale.ROOT).replace("-40GB", "").replace("-80GB", "");
        return new GpuClass(gpu.id(), name + " " + (int) c[0] + " GB", (int) c[0], c[1]);
    }

    /** Whether a default price is known for this class. */
    public boolean priced() {
        return !Double.isNaN(defaultPricePerHour);
    }
}
