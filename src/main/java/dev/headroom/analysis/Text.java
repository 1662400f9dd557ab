package dev.headroom.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/** How numbers read in verdicts and tables: {@code 1,180 tok/s}, {@code 1.31 s}, {@code 210 ms}, {@code 27.5}. */
final class Text {

    private Text() {
    }

    /** Milliseconds as {@code 210 ms} below a second, {@code 1.31 s} from one second on. */
    static String latency(double ms) {
        if (ms >= 1000) return String.format(Locale.US, "%.2f s", ms / 1000);
        if (ms >= 10) return String.format(Locale.US, "%.0f ms", ms);
        return String.format(Locale.US, "%.1f ms", ms);
    }

    /**
     * A latency range in the unit of its high end: {@code 0.93–1.82 s} from one second on, {@code 639–980 ms} below,
     * so both ends read alike.
     */
    static String latencyRange(LoadPoint.Range r) {
        if (r.high() >= 1000) return String.format(Locale.US, "%.2f–%.2f s", r.low() / 1000, r.high() / 1000);
        return String.format(Locale.US, r.high() >= 10 ? "%.0f–%.0f ms" : "%.1f–%.1f ms", r.low(), r.high());
    }

    /** Tokens per second with a thousands separator: {@code 1,180 tok/s}. */
    static String throughput(double tokensPerS) {
        return String.format(Locale.US, "%,.0f tok/s", tokensPerS);
    }

    /** A load level: whole numbers without decimals, others with up to three significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.US, "%,d", (long) v);
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A percentage with one decimal: {@code 12.5%}. */
    static String percent(double fraction) {
        return String.format(Locale.US, "%.1f%%", 100 * fraction);
    }

    /**
     * A fraction such as KV usage, a ratio, or a mean of counts: {@code 0.60}, {@code 2.16}, {@code 48.6}, {@code 170};
     * three significant digits from 1 up, two decimals below, zero as {@code 0}.
     */
    static String fraction(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        return String.format(Locale.US, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    /** Loads on an axis in a sentence: {@code concurrency 16}, {@code concurrency 32 and 64}, {@code rate 1 req/s, 2 req/s and 4 req/s}. */
    static String loads(Axis axis, List<Double> loads) {
        return axis.describe(loads.get(0)) + (loads.size() == 1 ? "" : (loads.size() == 2 ? " and " : ", ")
                + briefLoads(axis, loads.subList(1, loads.size())));
    }

    /** "32", "1, 2 and 4": loads as {@link Axis#brief} writes them. */
    static String briefLoads(Axis axis, List<Double> loads) {
        List<String> words = loads.stream().map(axis::brief).toList();
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    /** The sentence with its first letter in upper case. */
    static String capitalized(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
