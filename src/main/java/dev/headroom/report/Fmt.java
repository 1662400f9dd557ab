package dev.headroom.report;

import java.util.Locale;

/** How numbers read in reports: digits by magnitude, units spelled, "not measured" instead of a blank. */
public final class Fmt {

    /** What a missing number reads as. */
    public static final String MISSING = "not measured";

    private Fmt() {}

    /** 1,180 / 98.4 / 3.25: three significant digits or more, thousands grouped; zero is "0". */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return MISSING;
        if (v == 0) return "0";
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** An integer-valued count as "24", else as {@link #num}. */
    public static String count(double v) {
        if (Double.isNaN(v)) return MISSING;
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : num(v);
    }

    /**
     * The most concurrent requests a load allows, a whole number: an interpolated 6.39 is "6" (6 is within it, 7 is
     * not known to be), never "6.39" or "4.00".
     */
    public static String concurrency(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return MISSING;
        return String.format(Locale.ROOT, "%,d", (long) Math.floor(v + 1e-9));
    }

    /** Milliseconds with their unit: "1,310 ms", "18.1 ms". */
    public static String ms(double v) {
        return Double.isNaN(v) ? MISSING : num(v) + " ms";
    }

    /** Output throughput with its unit: "1,180 tok/s". */
    public static String tps(double v) {
        return Double.isNaN(v) ? MISSING : num(v) + " tok/s";
    }

    /** A fraction 0–1 as a percentage: "99%", "12.5%". */
    public static String pct(double fraction) {
        if (Double.isNaN(fraction)) return MISSING;
        double p = 100 * fraction;
        return (p >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    /** US dollars: "$0.231", "$12.40". */
    public static String usd(double v) {
        if (Double.isNaN(v)) return MISSING;
        return "$" + (v >= 1 ? String.format(Locale.ROOT, "%,.2f", v) : String.format(Locale.ROOT, "%.3f", v));
    }

    /** A percentile metric key in words: {@code p95_e2el_ms} → "p95 E2E latency". */
    public static String metricName(String key) {
        String k = key.endsWith("_ms") ? key.substring(0, key.length() - 3) : key;
        int cut = k.indexOf('_');
        String stat = cut < 0 ? "" : k.substring(0, cut);
        String metric = cut < 0 ? k : k.substring(cut + 1);
        String name = switch (metric) {
            case "e2el" -> "E2E latency";
            case "ttft" -> "TTFT";
            case "tpot" -> "TPOT";
            case "itl" -> "ITL";
            default -> metric.replace('_', ' ');
        };
        return (stat.isEmpty() ? "" : stat + " ") + name;
    }
}
