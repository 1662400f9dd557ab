package dev.headroom.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of one {@code --config} YAML value; a bad value is reported naming its key. */
record YamlValues(String key, JsonNode value) {

    private static final Pattern HUMAN_INT = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmMgG]?)");

    String text() {
        if (!value.isValueNode() || value.isNull()) throw bad("a string");
        return value.asText();
    }

    double number() {
        if (value.isNumber()) return value.asDouble();
        try {
            return Double.parseDouble(text());
        } catch (NumberFormatException e) {
            throw bad("a number");
        }
    }

    int integer() {
        if (value.isIntegralNumber()) return value.asInt();
        try {
            return Integer.parseInt(text().trim());
        } catch (NumberFormatException e) {
            throw bad("an integer");
        }
    }

    int tokens() {
        if (value.isIntegralNumber()) return value.asInt();
        return parseTokens("--" + key, text());
    }

    boolean bool() {
        if (value.isBoolean()) return value.asBoolean();
        if (value.isNull()) return true;
        return switch (text().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad("true or false");
        };
    }

    private IllegalArgumentException bad(String expected) {
        return new IllegalArgumentException("--config: key '" + key + "' has bad value '" + value.asText()
                + "'; expected " + expected);
    }

    /**
     * Parses a token count as vLLM's {@code human_readable_int} does: {@code 32768}, {@code 32k} (×1000),
     * {@code 32K} (×1024), {@code 1m}, {@code 1M}.
     */
    static int parseTokens(String option, String text) {
        Matcher m = HUMAN_INT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a token count; use e.g. 32768, 32k or 32K");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        double scale = switch (unit) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            case "K" -> 1024;
            case "M" -> 1024 * 1024;
            case "G" -> 1024.0 * 1024 * 1024;
            default -> 1;
        };
        double v = n * scale;
        if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a whole token count below 2^31");
        }
        return (int) v;
    }
}
