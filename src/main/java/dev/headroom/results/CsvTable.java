package dev.headroom.results;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * headroom's CSV files (RFC 4180: quoted cells may hold commas, quotes and line breaks) read and written with
 * jackson-dataformat-csv. The first record is the header; a cell is text, and the typed readers parse it.
 */
public final class CsvTable {

    // Strict quoting: by default Jackson quotes every cell longer than 24 characters, and headers must stay plain.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema LINE = CsvSchema.emptySchema().withLineSeparator("\n");

    private CsvTable() {
    }

    /**
     * The records after the header as maps from column name to cell, in column order; a record with another number
     * of cells than its header is bad input naming its line. (A file an older headroom wrote has a shorter header
     * and rows to match; the typed readers leave its missing columns empty.)
     */
    public static List<Map<String, String>> read(Path file) throws IOException {
        List<String[]> records = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(file.toFile())) {
            while (it.hasNextValue()) records.add(it.nextValue());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not CSV (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        if (records.isEmpty()) return rows;
        String[] header = records.get(0);
        for (int i = 0; i < header.length; i++) header[i] = header[i].replace("\uFEFF", "").strip();
        for (int r = 1; r < records.size(); r++) {
            String[] cells = records.get(r);
            if (cells.length == 1 && cells[0].isEmpty()) continue;
            if (cells.length != header.length) {
                throw new IllegalArgumentException(file + " line " + (r + 1) + " has " + cells.length
                        + " fields; its header has " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) row.put(header[c], cells[c]);
            rows.add(row);
        }
        return rows;
    }

    /**
     * One record as a CSV line with its line break, quoting cells as RFC 4180 needs. A carriage return inside a cell
     * is written as a line feed: Jackson's quoting check does not quote a cell for a lone {@code \r}, which a reader
     * would then take for the end of the record.
     */
    static String line(List<String> cells) {
        String[] normalized = cells.stream().map(CsvTable::lineFeeds).toArray(String[]::new);
        try {
            return CSV.writerFor(String[].class).with(LINE).writeValueAsString(normalized);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a CSV line", e);
        }
    }

    private static String lineFeeds(String cell) {
        return cell == null ? null : cell.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Writes {@code columns} and {@code rows} to {@code file} through a temporary file, so it is never torn. */
    public static void write(Path file, List<String> columns, List<List<String>> rows) throws IOException {
        StringBuilder b = new StringBuilder(line(columns));
        for (List<String> row : rows) b.append(line(row));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
