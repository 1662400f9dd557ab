package dev.headroom.metrics;

import dev.headroom.metrics.PrometheusExposition.Family;
import dev.headroom.metrics.PrometheusExposition.Sample;
import dev.headroom.metrics.PrometheusExposition.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and renders the Prometheus text exposition format 0.0.4, strictly: a malformed line, an unknown TYPE, a
 * bad escape, a duplicate series or a TYPE after its samples is rejected with the line number, and histograms
 * must have cumulative buckets ending in {@code le="+Inf"} that agree with {@code _count}.
 */
public final class PrometheusText {

    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Pattern METADATA = Pattern.compile("#[ \\t]+(HELP|TYPE)(?:[ \\t]+([^ \\t]*)|$)");

    private PrometheusText() {
    }

    /** Parses {@code text}; throws IllegalArgumentException naming the line on anything malformed. */
    public static PrometheusExposition parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> typed = new HashSet<>();
        Set<String> familiesWithSamples = new HashSet<>();
        Set<String> series = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            try {
                if (line.isBlank()) continue;
                if (line.startsWith("#")) {
                    metadata(line, families, helped, typed, familiesWithSamples);
                    continue;
                }
                Sample s = new SampleLine(line).parse();
                String family = PrometheusFamilies.familyOf(s.name(), families);
                PrometheusFamilies.checkSample(s, families.get(family));
                if (!series.add(s.name() + s.labels())) throw new IllegalArgumentException("duplicate series");
                familiesWithSamples.add(family);
                samples.add(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("/metrics line " + (i + 1) + ": " + e.getMessage() + ": "
                        + abbreviate(line));
            }
        }
        PrometheusExposition exposition = new PrometheusExposition(samples, families);
        PrometheusFamilies.checkHistograms(exposition);
        return exposition;
    }

    private static void metadata(String line, Map<String, Family> families, Set<String> helped, Set<String> typed,
                                 Set<String> familiesWithSamples) {
        // "# HELP name docstring" / "# TYPE name type": the docstring runs from after the blanks to the line end.
        Matcher m = METADATA.matcher(line);
        if (!m.lookingAt()) return; // an ordinary comment
        boolean help = m.group(1).equals("HELP");
        String name = m.group(2);
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("# " + m.group(1) + " needs a valid metric name");
        }
        String rest = line.substring(m.end()).replaceFirst("^[ \\t]+", "");
        Family old = families.get(name);
        if (help) {
            if (!helped.add(name)) throw new IllegalArgumentException("second HELP for " + name);
            families.put(name, new Family(name, old == null ? Type.UNTYPED : old.type(), unescapeHelp(rest)));
            return;
        }
        if (!typed.add(name)) throw new IllegalArgumentException("second TYPE for " + name);
        if (familiesWithSamples.contains(name)) throw new IllegalArgumentException("TYPE after samples of " + name);
        Type type;
        try {
            type = Type.valueOf(rest.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type '" + rest.strip()
                    + "' (counter, gauge, histogram, summary, untyped)");
        }
        families.put(name, new Family(name, type, old == null ? null : old.help()));
    }

    private static String unescapeHelp(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i == s.length()) throw new IllegalArgumentException("HELP ends in a lone backslash");
            switch (s.charAt(i)) {
                case '\\' -> b.append('\\');
                case 'n' -> b.append('\n');
                default -> throw new IllegalArgumentException("invalid escape \\" + s.charAt(i) + " in HELP");
            }
        }
        return b.toString();
    }

    /** Parses a sample value as the text format allows: a decimal float, NaN, +Inf, -Inf or Inf. */
    static double value(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan": return Double.NaN;
            case "+inf", "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default:
                if (!NUMBER.matcher(token).matches()) throw new IllegalArgumentException("'" + token + "' is not a value");
                return Double.parseDouble(token);
        }
    }

    static Long timestamp(String token) {
        if (!TIMESTAMP.matcher(token).matches()) throw new IllegalArgumentException("'" + token + "' is not a timestamp");
        return Long.parseLong(token);
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    /**
     * Renders {@code e} in the text format: each family's HELP and TYPE before its samples (TYPE omitted for an
     * untyped family with HELP), then samples of no declared family.
     */
    public static String render(PrometheusExposition e) {
        StringBuilder b = new StringBuilder();
        Set<Sample> written = new HashSet<>();
        for (Family f : e.families().values()) {
            if (f.help() != null) {
                b.append("# HELP ").append(f.name()).append(' ')
                        .append(f.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            }
            if (f.type() != Type.UNTYPED || f.help() == null) {
                b.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase(Locale.ROOT))
                        .append('\n');
            }
            for (Sample s : e.samples()) {
                if (PrometheusFamilies.familyOf(s.name(), e.families()).equals(f.name()) && written.add(s)) {
                    sample(b, s);
                }
            }
        }
        for (Sample s : e.samples()) if (written.add(s)) sample(b, s);
        return b.toString();
    }

    private static void sample(StringBuilder b, Sample s) {
        b.append(s.name());
        if (!s.labels().isEmpty()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                if (!first) b.append(',');
                first = false;
                b.append(l.getKey()).append("=\"").append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n")).append('"');
            }
            b.append('}');
        }
        b.append(' ').append(formatValue(s.value()));
        if (s.timestampMs() != null) b.append(' ').append(s.timestampMs());
        b.append('\n');
    }

    /** A value as the text format writes it: {@code NaN}, {@code +Inf}, {@code -Inf} or a decimal float. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return Double.toString(v);
    }
}
