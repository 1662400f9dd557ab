package dev.headroom.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads RFC 4180 CSV with a header line (quoted cells may hold commas, quotes and line breaks). */
public final class Csv {

    private Csv() {}

    /** The rows of {@code file}, keyed by the header's column names. */
    public static List<Row> read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** The rows of CSV text, keyed by the header's column names; short rows leave the missing cells empty. */
    public static List<Row> parse(String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty()) return List.of();
        List<String> header = records.get(0);
        List<Row> rows = new ArrayList<>();
        for (List<String> record : records.subList(1, records.size())) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) cells.put(header.get(i), i < record.size() ? record.get(i) : "");
            rows.add(new Row(cells));
        }
        return rows;
    }

    private static List<List<String>> records(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c != '"') cell.append(c);
                else if (i + 1 < text.length() && text.charAt(i + 1) == '"') cell.append(text.charAt(++i));
                else quoted = false;
                continue;
            }
            switch (c) {
                case '"' -> { quoted = true; any = true; }
                case ',' -> { record.add(cell.toString()); cell.setLength(0); any = true; }
                case '\r' -> { }
                case '\n' -> {
                    if (any || cell.length() > 0) { record.add(cell.toString()); records.add(record); }
                    record = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                }
                default -> { cell.append(c); any = true; }
            }
        }
        if (any || cell.length() > 0) { record.add(cell.toString()); records.add(record); }
        return records;
    }
}
