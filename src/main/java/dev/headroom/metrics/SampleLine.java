package dev.headroom.metrics;

import dev.headroom.metrics.PrometheusExposition.Sample;
import java.util.LinkedHashMap;
import java.util.Map;

/** A cursor over one sample line: {@code name[{label="value",...}] value [timestamp]}. */
final class SampleLine {

    private final String line;
    private int pos;

    SampleLine(String line) {
        this.line = line;
    }

    Sample parse() {
        String name = token(PrometheusText.METRIC_NAME.pattern(), "a metric name");
        Map<String, String> labels = new LinkedHashMap<>();
        int afterName = pos;
        skipBlanks();
        boolean blank = pos > afterName;
        if (peek() == '{') {
            labels = labels();
            blank = skipBlanks();
        }
        if (!blank) throw new IllegalArgumentException("expected a blank before the value");
        String valueToken = word();
        double value = PrometheusText.value(valueToken);
        Long timestamp = null;
        if (skipBlanks() && pos < line.length()) timestamp = PrometheusText.timestamp(word());
        skipBlanks();
        if (pos != line.length()) throw new IllegalArgumentException("unexpected text after the value");
        return new Sample(name, labels, value, timestamp);
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        pos++; // '{'
        while (true) {
            skipBlanks();
            if (peek() == '}') {
                pos++;
                return labels;
            }
            String name = token(PrometheusText.LABEL_NAME.pattern(), "a label name");
            skipBlanks();
            expect('=');
            skipBlanks();
            expect('"');
            String value = labelValue();
            if (labels.put(name, value) != null) throw new IllegalArgumentException("label " + name + " repeated");
            skipBlanks();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c != '}') {
                throw new IllegalArgumentException("expected ',' or '}' after label " + name);
            }
        }
    }

    private String labelValue() {
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= line.length()) throw new IllegalArgumentException("unterminated label value");
            char c = line.charAt(pos++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= line.length()) throw new IllegalArgumentException("unterminated label value");
            char e = line.charAt(pos++);
            switch (e) {
                case '\\' -> b.append('\\');
                case '"' -> b.append('"');
                case 'n' -> b.append('\n');
                default -> throw new IllegalArgumentException("invalid escape \\" + e + " in a label value");
            }
        }
    }

    private String token(String regex, String what) {
        int start = pos;
        while (pos < line.length() && isNameChar(line.charAt(pos))) pos++;
        String t = line.substring(start, pos);
        if (!t.matches(regex)) throw new IllegalArgumentException("expected " + what + " at column " + (start + 1));
        return t;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private String word() {
        int start = pos;
        while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') pos++;
        if (start == pos) throw new IllegalArgumentException("missing value");
        return line.substring(start, pos);
    }

    private void expect(char c) {
        if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
        pos++;
    }

    private char peek() {
        return pos < line.length() ? line.charAt(pos) : '\0';
    }

    /** Skips spaces and tabs; true if any were skipped or the line has ended. */
    private boolean skipBlanks() {
        int start = pos;
        while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) pos++;
        return pos > start || pos == line.length();
    }
}
