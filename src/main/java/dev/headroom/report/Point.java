package dev.headroom.report;

import java.util.List;

/** One load level of a curve: its position on the load axis and its capacity.csv rows (one per repeat). */
public record Point(double load, List<Row> rows) {

    public Point {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) throw new IllegalArgumentException("a point needs at least one row");
    }

    /** The column's mean over the repeats that measured it, NaN when none did. */
    public double num(String column) {
        return rows.stream().mapToDouble(r -> r.num(column)).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /** The first repeat's row: its folder and the served config. */
    public Row first() {
        return rows.get(0);
    }
}
