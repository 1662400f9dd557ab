package dev.headroom.server;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Prometheus text exposition 0.0.4 as Python's prometheus_client writes it (vLLM's /metrics): numbers in
 * Python {@code repr} style ({@code 1.0}, {@code 0.005}, {@code 1e-05}), label values escaped, labels sorted by
 * name as its multiprocess collector emits them, {@code le} last.
 */
final class PromFormat {

    private PromFormat() {}

    /** {@code # HELP} and {@code # TYPE} lines. */
    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample line; {@code labels} is a rendered {@code {...}} block. */
    static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    /** A label block from name/value pairs, sorted by name. */
    static String labels(Map<String, String> labels) {
        StringBuilder out = new StringBuilder("{");
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (out.length() > 1) out.append(',');
            out.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\")
                    .replace("\n", "\\n").replace("\"", "\\\"")).append('"');
        });
        return out.append('}').toString();
    }

    /** A double as Python's {@code repr} prints it (prometheus_client floatToGoString for finite values). */
    static String number(double value) {
        if (Double.isNaN(value)) return "NaN";
        if (Double.isInfinite(value)) return value > 0 ? "+Inf" : "-Inf";
        if (value == Math.rint(value) && Math.abs(value) < 1e16) return (long) value + ".0";
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e16) return exact.toPlainString();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = exact.precision() - exact.scale() - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format("%02d", Math.abs(exponent));
    }
}
