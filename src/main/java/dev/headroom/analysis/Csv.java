package dev.headroom.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small RFC 4180 reader for headroom's own CSV files ({@code capacity.csv}, {@code configs.csv}): fields split by
 * commas, optionally quoted with {@code "}, a doubled {@code ""} inside quotes for one quote, line breaks inside
 * quotes kept, records ended by CRLF or LF. The first record is the header.
 */
final class Csv {

    private Csv() {
    }

    /** Parses {@code text} into records of fields; a trailing line break does not make an empty record. */
    static List<List<String>> records(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
            i++;
        }
        if (quoted) throw new IllegalArgumentException("a quoted field is not closed");
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    /**
     * The records after the header as maps from column name to field, in column order.
     *
     * @param what the file's name, for the one-line error when a row has the wrong number of fields
     */
    static List<Map<String, String>> rows(String text, String what) {
        List<List<String>> records = records(text);
        List<Map<String, String>> rows = new ArrayList<>();
        if (records.isEmpty()) return rows;
        List<String> header = records.get(0);
        for (int r = 1; r < records.size(); r++) {
            List<String> fields = records.get(r);
            if (fields.size() == 1 && fields.get(0).isEmpty()) continue;
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(what + " line " + (r + 1) + " has " + fields.size()
                        + " fields; its header has " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) row.put(header.get(c).replace("\uFEFF", "").strip(), fields.get(c));
            rows.add(row);
        }
        return rows;
    }
}
