package dev.headroom.report;

import java.util.Map;

/** One row of a results CSV ({@code capacity.csv}, {@code configs.csv}): cells by column name; empty = not measured. */
public record Row(Map<String, String> cells) {

    public Row {
        cells = Map.copyOf(cells);
    }

    /** The cell's text, or "" when the column is absent or empty. */
    public String text(String column) {
        String v = cells.get(column);
        return v == null ? "" : v.trim();
    }

    /** Whether the cell holds a value. */
    public boolean has(String column) {
        return !text(column).isEmpty();
    }

    /** The cell as a number, or NaN when it is empty or not a number. */
    public double num(String column) {
        String v = text(column);
        if (v.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The cell as a boolean ({@code true}, case-insensitive). */
    public boolean flag(String column) {
        return "true".equalsIgnoreCase(text(column));
    }
}
