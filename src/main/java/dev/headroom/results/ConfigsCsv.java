package dev.headroom.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code configs.csv}: one row per server config, written as each config finishes. A config run again (a resumed
 * sweep) replaces its earlier row, so the file holds each config once. Line breaks inside a cell (a quoted log
 * message) are written as spaces, so every row is one line.
 */
public final class ConfigsCsv {

    private ConfigsCsv() {
    }

    /** Appends {@code row} to {@code csv} (writing the header first), replacing a row of the same config. */
    public static void append(Path csv, ConfigRow row) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        if (Files.exists(csv)) {
            for (ConfigRow old : read(csv)) if (!old.config().equals(row.config())) rows.add(cells(old));
        }
        rows.add(cells(row));
        CsvTable.write(csv, ConfigRow.COLUMNS, rows);
    }

    private static List<String> cells(ConfigRow row) {
        Map<String, Object> m = row.toMap();
        return ConfigRow.COLUMNS.stream().map(c -> Cells.of(m.get(c)).replace("\r\n", " ").replace('\n', ' ')
                .replace('\r', ' ')).toList();
    }

    /** The rows of {@code csv}, in file order; an older file without some columns reads them as null. */
    public static List<ConfigRow> read(Path csv) throws IOException {
        List<ConfigRow> rows = new ArrayList<>();
        int line = 1;
        for (Map<String, String> cells : CsvTable.read(csv)) {
            line++;
            try {
                rows.add(ConfigRow.of(cells));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(csv + " line " + line + ": " + e.getMessage());
            }
        }
        return rows;
    }
}
