package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ServedConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curves of one sweep that differ in one server setting and nothing else (same workload, GPU, source and every
 * other setting): what the study measured of that knob. Curves are ordered by the knob's value (numbers ascending,
 * {@code true} before {@code false}).
 */
record KnobSweep(String knob, List<Curve> curves) {

    /** The server settings a curve's config is compared on. */
    static final List<String> SETTINGS = List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs",
            "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");

    /** A difference under this fraction of the larger value is reported as none. */
    static final double NO_DIFFERENCE = 0.05;

    KnobSweep {
        curves = List.copyOf(curves);
    }

    /** Every set of curves in the study that swept {@code knob} with all else equal, in the study's order. */
    static List<KnobSweep> of(Study study, String knob) {
        Map<String, List<Curve>> groups = new LinkedHashMap<>();
        for (Curve c : study.curves()) {
            if (c.points().isEmpty() || !served(c).has(knob)) continue;
            String rest = c.sweep().dir() + "|" + c.workload() + "|" + c.gpu() + "|" + c.model() + "|" + c.predicted()
                    + "|" + c.byRate() + "|" + c.key().rateCap() + "|" + settingsBut(served(c), knob);
            groups.computeIfAbsent(rest, k -> new ArrayList<>()).add(c);
        }
        List<KnobSweep> out = new ArrayList<>();
        for (List<Curve> g : groups.values()) {
            if (g.stream().map(c -> served(c).text(knob)).distinct().count() < 2) continue;
            List<Curve> sorted = new ArrayList<>(g);
            sorted.sort(Comparator.comparingDouble(c -> order(served(c).text(knob))));
            out.add(new KnobSweep(knob, sorted));
        }
        return out;
    }

    static ServedConfig served(Curve c) {
        return c.points().get(0).first().served();
    }

    private static String settingsBut(ServedConfig s, String knob) {
        StringBuilder b = new StringBuilder();
        for (String k : SETTINGS) if (!k.equals(knob)) b.append(k).append('=').append(s.text(k)).append(';');
        return b.toString();
    }

    private static double order(String value) {
        if (value.equals("true")) return 0;
        if (value.equals("false")) return 1;
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.MAX_VALUE;
        }
    }

    /** The knob's value on {@code c}, as a reader would write it (2,048; on; off). */
    String value(Curve c) {
        String v = served(c).text(knob);
        if (v.equals("true")) return "on";
        if (v.equals("false")) return "off";
        return Fmt.count(served(c).num(knob));
    }

    Curve first() {
        return curves.get(0);
    }

    Curve last() {
        return curves.get(curves.size() - 1);
    }

    /** The loads every curve of the set ran, ascending. */
    List<Double> commonLoads() {
        return first().points().stream().map(LoadPoint::load)
                .filter(l -> curves.stream().allMatch(c -> c.at(l).isPresent())).toList();
    }

    /** The highest load every curve ran, or NaN when they share none. */
    double topLoad() {
        List<Double> loads = commonLoads();
        return loads.isEmpty() ? Double.NaN : loads.get(loads.size() - 1);
    }

    /** What the set ran: "chat · T4 16 GB, predicted, sweep `x`". */
    String scope() {
        Curve c = first();
        return c.workload() + " · " + c.gpuClass().label() + ", " + c.source() + ", sweep `" + c.sweep().label() + "`";
    }

    /**
     * One sentence comparing {@code metric} between the first and last value at the top load, with what the lab
     * expects ({@code labPrefers} is the value the lab says is better for it, as {@link #value} writes it).
     */
    String compare(String metric, boolean lowerIsBetter, String labPrefers) {
        List<Double> loads = commonLoads();
        if (loads.isEmpty()) return "";
        String top = compare(metric, lowerIsBetter, labPrefers, loads.get(loads.size() - 1));
        String low = compare(metric, lowerIsBetter, labPrefers, loads.get(0));
        // The lowest load is told too when it tells another story (a knob that matters only below saturation).
        return loads.size() == 1 || verdict(top).equals(verdict(low)) ? top : top + " " + low;
    }

    private static String verdict(String sentence) {
        int cut = sentence.indexOf(": ");
        return sentence.startsWith("This study found no difference") ? "none"
                : cut < 0 ? sentence : sentence.substring(cut + 2).replaceAll("[0-9.,]+%", "");
    }

    private String compare(String metric, boolean lowerIsBetter, String labPrefers, double load) {
        double a = first().at(load).orElseThrow().num(metric);
        double b = last().at(load).orElseThrow().num(metric);
        String name = metricWords(metric);
        String at = "at " + first().loadText(load) + ", ";
        if (Double.isNaN(a) || Double.isNaN(b)) return "A" + at.substring(1) + name + ": not measured.";
        String figures = at + name + " was " + format(metric, a) + " with " + value(first()) + " against "
                + format(metric, b) + " with " + value(last());
        if (Math.abs(a - b) <= NO_DIFFERENCE * Math.max(Math.abs(a), Math.abs(b))) {
            return "This study found no difference: " + figures + ".";
        }
        boolean firstBetter = lowerIsBetter == (a < b);
        String better = firstBetter ? value(first()) : value(last());
        double change = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
        return "A" + figures.substring(1) + ": " + Fmt.pct(change) + (lowerIsBetter ? " lower" : " higher") + " with " + better
                + (labPrefers.isEmpty() ? "" : better.equals(labPrefers) ? ", as the lab's advice expects"
                : ", unlike the lab's advice (" + labPrefers + ")") + ".";
    }

    /** A sentence made a clause: its first letter lower-cased ("Raising ..." after "on the worst cell, "). */
    static String clause(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }

    static String metricWords(String metric) {
        return switch (metric) {
            case "output_throughput" -> "output throughput";
            case "server_prefix_cache_hit_rate" -> "prefix-cache hit rate";
            case "server_preemptions" -> "preemptions";
            default -> Fmt.metricName(metric);
        };
    }

    static String format(String metric, double v) {
        if (metric.endsWith("_ms")) return Fmt.ms(v);
        if (metric.contains("throughput")) return Fmt.tps(v);
        if (metric.contains("rate")) return Fmt.pct(v);
        return Fmt.count(v);
    }
}
