package dev.headroom.fleet;

import dev.headroom.spec.Gpu;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One GPU class of a fleet study and the nodes that have it: {@code --gpu-class t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4}.
 * Its server pods select those nodes by the label and tolerate the GPU taint that GPU node pools carry.
 *
 * @param gpu        the GPU the class names, from headroom's catalog (the planner predicts for it, capacity.csv's {@code gpu})
 * @param labelKey   the node label that marks the class's nodes, e.g. {@code cloud.google.com/gke-accelerator}
 * @param labelValue that label's value on them, e.g. {@code nvidia-tesla-t4}
 */
public record GpuPool(Gpu gpu, String labelKey, String labelValue) {

    /** A label key (optional DNS prefix, then a name of at most 63 characters) and a label value, as Kubernetes accepts them. */
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    /** The class's name in folders, labels and object names: the catalog id, e.g. {@code a100-40gb}. */
    public String name() {
        return gpu.id();
    }

    /**
     * {@code --gpu-class}'s list: {@code CLASS=LABEL=VALUE,…}, each class a GPU of the catalog, named once.
     *
     * @throws IllegalArgumentException one line naming the entry, what is wrong and what is accepted
     */
    public static List<GpuPool> parseAll(String option) {
        if (option == null || option.isBlank()) {
            throw new IllegalArgumentException("--kubernetes needs --gpu-class CLASS=LABEL=VALUE,…, e.g. "
                    + "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4");
        }
        List<GpuPool> pools = new ArrayList<>();
        Set<Gpu> seen = new HashSet<>();
        for (String entry : option.split(",", -1)) {
            GpuPool pool = parse(entry.strip());
            if (!seen.add(pool.gpu())) {
                throw new IllegalArgumentException("--gpu-class names " + pool.name() + " twice; give each GPU class once");
            }
            pools.add(pool);
        }
        return List.copyOf(pools);
    }

    static GpuPool parse(String entry) {
        String[] parts = entry.split("=", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("--gpu-class '" + entry + "': expected CLASS=LABEL=VALUE, e.g. "
                    + "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4");
        }
        Gpu gpu;
        try {
            gpu = Gpu.parse(parts[0].strip());
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("--gpu-class '" + entry + "': '" + parts[0] + "' is not a GPU headroom "
                    + "plans for; the class is one of " + Gpu.names());
        }
        String key = parts[1].strip();
        String value = parts[2].strip();
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("--gpu-class '" + entry + "': '" + key + "' is not a Kubernetes label key");
        }
        if (!VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("--gpu-class '" + entry + "': '" + value + "' is not a Kubernetes label "
                    + "value (at most 63 letters, digits, '-', '_' or '.')");
        }
        return new GpuPool(gpu, key, value);
    }
}
