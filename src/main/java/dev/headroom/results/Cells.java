package dev.headroom.results;

import java.math.BigDecimal;

/**
 * A cell of headroom's CSV files as text and back: numbers in full precision with {@code .} as the decimal point,
 * booleans {@code true}/{@code false}, and the empty cell for "not measured / not applicable".
 */
final class Cells {

    private Cells() {
    }

    /** A value as a cell: empty for null, NaN and infinities; a whole double keeps one decimal ({@code 12.0}). */
    static String of(Object v) {
        return switch (v) {
            case null -> "";
            case Double d when d.isNaN() || d.isInfinite() -> "";
            case Double d -> BigDecimal.valueOf(d).toPlainString();
            case Float f -> of(f.doubleValue());
            default -> String.valueOf(v);
        };
    }

    /** The cell's text, or null when it is absent or blank. */
    static String text(String cell) {
        return cell == null || cell.isBlank() ? null : cell.strip();
    }

    /** The cell as a number, or null when it is blank or not a number. */
    static Double number(String cell) {
        String t = text(cell);
        if (t == null) return null;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The cell as a number that keeps its kind: a whole number as a Long, others as a Double; null when blank. */
    static Number value(String cell) {
        String t = text(cell);
        if (t == null) return null;
        if (t.matches("-?\\d{1,18}")) return Long.parseLong(t);
        return number(t);
    }

    /**
     * The cell as a whole number of at least {@code min}, or null when blank; {@code what} names it in the one line a
     * bad cell gets.
     */
    static Integer whole(String cell, String what, int min) {
        String t = text(cell);
        if (t == null) return null;
        Double v = number(t);
        if (v == null || v != Math.rint(v) || v < min) {
            throw new IllegalArgumentException(what + " '" + t + "' is not a whole number ≥ " + min);
        }
        return v.intValue();
    }

    /** The cell as a long, or null when blank or not a whole number. */
    static Long count(String cell) {
        Double v = number(cell);
        return v == null || v != Math.rint(v) ? null : v.longValue();
    }

    /** {@code true}/{@code false} (any case), or null when blank or neither. */
    static Boolean flag(String cell) {
        String t = text(cell);
        if ("true".equalsIgnoreCase(t)) return true;
        if ("false".equalsIgnoreCase(t)) return false;
        return null;
    }
}
