package dev.headroom.analysis;

import java.util.Map;

/**
 * One row of {@code configs.csv}: a server config, whether the planner predicted it starts, and what the server did.
 *
 * @param fields the row's cells by column name (empty cells as empty strings)
 */
public record ConfigRow(Map<String, String> fields) {

    public ConfigRow {
        fields = Map.copyOf(fields);
    }

    /** A cell, or the empty string when the column is absent. */
    public String get(String column) {
        return fields.getOrDefault(column, "");
    }

    /** {@code ran}, {@code failed_to_start} or {@code died_under_load}. */
    public String status() {
        return get("status");
    }
}
