package dev.headroom.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object a fleet study creates: how {@code --resume} finds its Jobs and {@code --clean} deletes
 * them. A config's label ({@code max_num_seqs=64}) is no valid label value, so objects carry the config's index and
 * keep the label in an annotation.
 */
public final class Labels {

    /** Which tool made the object: {@code headroom}. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The study's name. */
    public static final String STUDY = "headroom.dev/study";
    /** The GPU class, e.g. {@code t4}. */
    public static final String GPU_CLASS = "headroom.dev/gpu-class";
    /** The config's 0-based index in the study's list. */
    public static final String CONFIG_INDEX = "headroom.dev/config-index";
    /** {@code server} (the server pod and its ConfigMap) or {@code load} (the load Job and its pod). */
    public static final String ROLE = "headroom.dev/role";
    /** Annotation: the config's label as configs.csv writes it. */
    public static final String CONFIG = "headroom.dev/config";

    private Labels() {}

    /** The labels that every object of {@code study} carries. */
    public static Map<String, String> study(String study) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MANAGED_BY, "headroom");
        m.put(STUDY, study);
        return m;
    }

    /** The labels of every object of one config × GPU class. */
    public static Map<String, String> of(Unit unit) {
        Map<String, String> m = study(unit.study());
        m.put(GPU_CLASS, unit.pool().name());
        m.put(CONFIG_INDEX, Integer.toString(unit.index()));
        return m;
    }

    /** The labels of one config × GPU class's objects of one role. */
    public static Map<String, String> of(Unit unit, String role) {
        Map<String, String> m = of(unit);
        m.put(ROLE, role);
        return m;
    }
}
