package dev.headroom.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses number lists as the command-line contract writes them: {@code 1,2,4}, ranges {@code 1..64x2}
 * (geometric: multiply by 2) and {@code 0..100+10} (arithmetic: add 10), or any mix separated by commas.
 */
public final class NumberLists {

    private static final Pattern RANGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\.\\.(\\d+(?:\\.\\d+)?)(?:([x+])(\\d+(?:\\.\\d+)?))?");

    private NumberLists() {}

    /** Parses a list of positive integers; {@code option} names the option in error messages. */
    public static List<Integer> integers(String option, String text) {
        List<Integer> out = new ArrayList<>();
        for (double d : doubles(option, text)) {
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(option + ": '" + text + "' must hold whole numbers, found " + d);
            }
            out.add((int) d);
        }
        return out;
    }

    /** Parses a list of numbers; {@code option} names the option in error messages. */
    public static List<Double> doubles(String option, String text) {
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            Matcher range = RANGE.matcher(p);
            if (range.matches()) {
                expand(option, text, range, out);
            } else {
                try {
                    out.add(Double.parseDouble(p));
                } catch (NumberFormatException e) {
                    throw bad(option, text);
                }
            }
        }
        if (out.isEmpty()) throw bad(option, text);
        return out;
    }

    private static void expand(String option, String text, Matcher range, List<Double> out) {
        double from = Double.parseDouble(range.group(1));
        double to = Double.parseDouble(range.group(2));
        boolean geometric = range.group(3) == null || range.group(3).equals("x");
        double step = range.group(4) == null ? 2 : Double.parseDouble(range.group(4));
        if (from > to || (geometric ? (step <= 1 || from <= 0) : step <= 0)) throw bad(option, text);
        for (double v = from; v <= to * (1 + 1e-9); v = geometric ? v * step : v + step) {
            out.add(v);
        }
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + ": '" + text
                + "' is not a number list; use e.g. 1,2,4 or 1..64x2 (geometric) or 8..64+8 (arithmetic)");
    }
}
