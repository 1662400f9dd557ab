package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code repr()} of the values {@code json.loads} makes of a JSON body: vLLM's validation messages embed
 * pydantic's error dicts, whose {@code input} is the offending Python value (dict, list, str, int, float, bool,
 * None), printed by {@code str(list_of_errors)}.
 */
final class PyRepr {

    private PyRepr() {}

    /** The repr of the Python value {@code json.loads} gives for {@code node}. */
    static String of(JsonNode node) {
        return append(new StringBuilder(), node).toString();
    }

    static StringBuilder append(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.append("None");
            case BOOLEAN -> out.append(node.booleanValue() ? "True" : "False");
            case STRING -> str(out, node.textValue());
            case NUMBER -> out.append(node.isIntegralNumber() ? node.bigIntegerValue().toString() : number(node.doubleValue()));
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(", ");
                    append(out, node.get(i));
                }
                out.append(']');
            }
            case OBJECT -> {
                out.append('{');
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    str(out, field.getKey()).append(": ");
                    append(out, field.getValue());
                    if (fields.hasNext()) out.append(", ");
                }
                out.append('}');
            }
            default -> str(out, node.asText());
        }
        return out;
    }

    /** {@code repr(s)}: single quotes unless {@code s} holds a single and no double quote; unprintables escaped. */
    static StringBuilder str(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (printable(c)) {
                out.appendCodePoint(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
            } else if (c < 0x10000) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.append(quote);
    }

    static String str(String s) {
        return str(new StringBuilder(s.length() + 2), s).toString();
    }

    /** Python's {@code str.isprintable()} for one code point, by Unicode category as Java knows it. */
    private static boolean printable(int c) {
        if (c == ' ') return true;
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * {@code repr(float)}: the shortest digits that round-trip, fixed notation for decimal exponents -4..15
     * ({@code 1.0}, {@code 0.0001}), else {@code 1e+16} / {@code 1.5e-05}.
     */
    static String number(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        // Java 19+ Double.toString gives the shortest round-tripping digits, as Python's repr does
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "").append(digits.charAt(0));
        if (digits.length() > 1) out.append('.').append(digits, 1, digits.length());
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) out.append('0');
        return out.append(magnitude).toString();
    }
}
