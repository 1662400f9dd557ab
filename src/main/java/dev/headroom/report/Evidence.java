package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.ServedConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The user's own numbers behind a recipe's settings and the playbook's pitfalls, from configs.csv and the curves. */
final class Evidence {

    private Evidence() {}

    /** Every configs.csv row of the study on this GPU class. */
    static List<ConfigRow> configs(Study study, GpuClass gpu) {
        return study.sweeps().stream().flatMap(s -> s.configs().stream())
                .filter(r -> GpuClass.of(r.text("gpu")).label().equals(gpu.label())).toList();
    }

    /** Max concurrency of a config: what vLLM reported, else what the planner predicted. */
    static double concurrency(ConfigRow r) {
        double reported = r.num("reported_max_concurrency");
        return Double.isNaN(reported) ? r.num("predicted_max_concurrency") : reported;
    }

    static boolean failed(ConfigRow r) {
        return r.text("status").equals("failed_to_start") || (!r.has("status") && r.has("predicted_starts") && !Boolean.TRUE.equals(r.predictedStarts()));
    }

    static String utilization(Recipe r, Study study) {
        double util = r.serve().num("gpu_memory_utilization");
        Optional<ConfigRow> higher = configs(study, r.gpu()).stream().filter(c -> c.num("gpu_memory_utilization") > util)
                .filter(Evidence::failed).findFirst();
        if (higher.isPresent()) {
            ConfigRow h = higher.get();
            return h.text("gpu_memory_utilization") + " failed to start on this GPU (" + ReportFigures.orWhy(h.text("failure"),
                    "planner predicts a failure") + ", config `" + h.text("config") + "`)";
        }
        Optional<ConfigRow> started = configs(study, r.gpu()).stream().filter(c -> c.num("gpu_memory_utilization") > util)
                .filter(c -> !failed(c)).max(java.util.Comparator.comparingDouble(c -> c.num("gpu_memory_utilization")));
        if (started.isPresent()) {
            ConfigRow h = started.get();
            return "the study also started " + h.text("gpu_memory_utilization") + " on this GPU (config `" + h.text("config")
                    + "`); this value keeps the lab's margin for other processes and memory spikes, which the runs do not show";
        }
        return "as swept; no higher value was tried on this GPU";
    }

    static String maxModelLen(Recipe r, Study study) {
        ServedConfig s = r.serve();
        Optional<ConfigRow> longer = longerContext(study, r.gpu(), s.num("gpu_memory_utilization"), s.num("max_model_len"));
        // The recipe's own sweep: every sweep names its single config "default", so another sweep's row would do.
        double here = r.curve().configRow().map(Evidence::concurrency).orElse(Double.NaN);
        String fit = Double.isNaN(here) ? "" : Fmt.num(here) + " full-length requests fit in the KV cache";
        if (longer.isEmpty()) return fit.isEmpty() ? "as swept (no other length tried)" : fit + "; no longer length tried";
        ConfigRow l = longer.get();
        return fit + (fit.isEmpty() ? "" : "; ") + "at " + l.text("max_model_len") + ": "
                + (failed(l) ? "failed to start (" + ReportFigures.orWhy(l.text("failure"), "planned failure") + ")"
                : Fmt.num(concurrency(l)) + " fit");
    }

    /** The longest-context config at the same memory fraction, beyond {@code len}. */
    static Optional<ConfigRow> longerContext(Study study, GpuClass gpu, double util, double len) {
        return configs(study, gpu).stream().filter(c -> c.num("gpu_memory_utilization") == util && c.num("max_model_len") > len)
                .max(Comparator.comparingDouble(c -> c.num("max_model_len")));
    }

    static String maxNumSeqs(Recipe r, LoadPoint at) {
        double seqs = r.serve().num("max_num_seqs");
        double running = at.num("num_requests_running_max");
        String peak = "peak running on the server at " + r.curve().loadText(at.load()) + ": "
                + (Double.isNaN(running) ? "not measured (no /metrics gauge)" : Fmt.count(running));
        OperatingPoint best = r.recommended();
        if (best == null || r.curve().byRate() || Double.isNaN(seqs)) return peak;
        return (best.concurrency() < seqs ? "above the recommended concurrency (" + Fmt.count(best.concurrency()) + "), so it does not cap the batch"
                : "caps the batch below the recommended concurrency (" + Fmt.count(best.concurrency()) + ")") + "; " + peak;
    }

    static String batchedTokens(Recipe r, Study study) {
        double mine = r.serve().num("max_num_batched_tokens");
        if (Double.isNaN(mine)) return "chunked-prefill budget per engine step";
        return tuned(r, study, "max_num_batched_tokens", TuningStudy::batchedTokensFinding)
                .orElse("chunked-prefill budget per engine step, as swept (no other value tried on this workload and GPU)");
    }

    /** The prefix-caching row: the tuning study's finding for this workload and GPU, else the hit rate the recipe saw. */
    static String prefixCaching(Recipe r, Study study, String hitRate) {
        return tuned(r, study, "enable_prefix_caching", TuningStudy::prefixFinding).map(f -> hitRate + "; " + f).orElse(hitRate);
    }

    /** The tuning study's finding on {@code knob} for the recipe's workload and GPU class, when it swept one. */
    private static Optional<String> tuned(Recipe r, Study study, String knob, java.util.function.Function<KnobSweep, String> finding) {
        return KnobSweep.of(study, knob).stream().filter(ks -> ks.curves().get(0).workload().equals(r.workload())
                        && ks.curves().get(0).gpuClass().equals(r.gpu()))
                .findFirst().map(ks -> "the tuning study tried " + ks.curves().stream()
                        .map(c -> KnobSweep.served(c).text(knob)).distinct().collect(java.util.stream.Collectors.joining(", "))
                        + " (" + ks.curves().get(0).source() + "): " + finding.apply(ks));
    }

    /** Curves with a point at concurrency 1 and a higher-throughput point: the cost of running one at a time. */
    static Stream<Curve> withSingleStream(Study study) {
        return study.curves().stream().filter(c -> !c.byRate() && c.at(1).isPresent() && c.peak().isPresent());
    }
}
