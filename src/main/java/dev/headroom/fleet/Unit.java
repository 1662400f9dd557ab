package dev.headroom.fleet;

import dev.headroom.sweep.ServeVariant;

/**
 * One config on one GPU class: a server pod, the load Job beside it, their ConfigMap, and one row of the class's configs.csv.
 *
 * @param study   the study's name
 * @param pool    the GPU class
 * @param index   the config's 0-based index in the study's list (its objects' names and labels)
 * @param variant the config
 */
public record Unit(String study, GpuPool pool, int index, ServeVariant variant) {

    /** The base of its objects' names: {@code hr-<study>-<class>-<index>}, a DNS label of at most 63 characters. */
    public String name() {
        return "hr-" + study + "-" + pool.name().replace('.', '-') + "-" + index;
    }

    /** The server pod's and ConfigMap's name. */
    public String serverName() {
        return name() + "-server";
    }

    /** The load Job's name. */
    public String loadName() {
        return name() + "-load";
    }

    /** {@code config 2 (max_num_seqs=64) on t4}, for progress lines. */
    public String describe() {
        return variant.label() + " on " + pool.name();
    }
}
