package dev.headroom.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the public trace formats, told apart by their first line:
 * <ul>
 *   <li>Mooncake JSONL (kvcache-ai/Mooncake): {@code {"timestamp": ms, "input_length", "output_length", "hash_ids"}};</li>
 *   <li>Azure LLM inference trace CSV (Azure/AzurePublicDataset): {@code TIMESTAMP,ContextTokens,GeneratedTokens}
 *       with {@code TIMESTAMP} a date-time such as {@code 2023-11-16 18:15:46.6805900};</li>
 *   <li>BurstGPT CSV (HPMLL/BurstGPT): {@code Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type}
 *       with {@code Timestamp} in seconds; rows with 0 response tokens (failed requests) are skipped.</li>
 * </ul>
 * Errors are one line naming the file, the line and what was expected.
 */
final class TraceReader {

    private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /** One CSV record per line (RFC 4180 quoting): the Azure and BurstGPT traces have no line breaks inside cells. */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private TraceReader() {}

    static Trace read(Path path) {
        try (BufferedReader in = Files.newBufferedReader(path)) {
            List<String> lines = in.lines().toList();
            int first = 0;
            while (first < lines.size() && lines.get(first).isBlank()) first++;
            if (first == lines.size()) throw new IllegalArgumentException(path + ": the trace is empty");
            String head = lines.get(first).strip();
            if (head.startsWith("{")) return new Trace(path, Trace.Format.MOONCAKE, mooncake(path, lines));
            List<String> columns = cells(head, path + " line " + (first + 1) + ": ").stream().map(String::strip).toList();
            if (columns.containsAll(List.of("TIMESTAMP", "ContextTokens", "GeneratedTokens"))) {
                return new Trace(path, Trace.Format.AZURE, csv(path, lines, first, columns, Trace.Format.AZURE));
            }
            if (columns.containsAll(List.of("Timestamp", "Request tokens", "Response tokens"))) {
                return new Trace(path, Trace.Format.BURSTGPT, csv(path, lines, first, columns, Trace.Format.BURSTGPT));
            }
            throw new IllegalArgumentException(path + " line " + (first + 1) + ": expected a Mooncake JSONL object, or a CSV "
                    + "header with TIMESTAMP,ContextTokens,GeneratedTokens (Azure) or Timestamp,Request tokens,Response tokens (BurstGPT)");
        } catch (IOException e) {
            throw new IllegalArgumentException("--trace " + path + " cannot be read: " + e.getMessage());
        }
    }

    private static List<TraceEntry> mooncake(Path path, List<String> lines) {
        List<TraceEntry> entries = new ArrayList<>();
        for (JsonlRecord line : JsonlRecord.parse(path, lines)) {
            String where = line.where();
            JsonNode node = line.node();
            JsonNode ts = node.path("timestamp");
            JsonNode in = node.path("input_length");
            JsonNode out = node.path("output_length");
            if (!ts.isNumber() || !in.canConvertToInt() || !out.canConvertToInt() || ts.asDouble() < 0) {
                throw new IllegalArgumentException(where + "expected \"timestamp\" (ms, >= 0), \"input_length\" and "
                        + "\"output_length\" numbers, got " + abbreviate(line.text()));
            }
            long[] hashIds = hashIds(node.path("hash_ids"), where);
            entries.add(entry(where, Math.round(ts.asDouble() * 1e6), in.asInt(), out.asInt(), hashIds, line.number()));
        }
        return entries;
    }

    private static long[] hashIds(JsonNode ids, String where) {
        if (ids.isMissingNode() || ids.isNull()) return new long[0];
        if (!ids.isArray()) throw new IllegalArgumentException(where + "expected \"hash_ids\" to be a list of integers");
        long[] out = new long[ids.size()];
        for (int k = 0; k < out.length; k++) {
            if (!ids.get(k).canConvertToLong()) {
                throw new IllegalArgumentException(where + "expected \"hash_ids\" to be a list of integers, item " + k + " is " + ids.get(k));
            }
            out[k] = ids.get(k).asLong();
        }
        return out;
    }

    private static List<TraceEntry> csv(Path path, List<String> lines, int header, List<String> columns, Trace.Format format) {
        boolean azure = format == Trace.Format.AZURE;
        int time = columns.indexOf(azure ? "TIMESTAMP" : "Timestamp");
        int in = columns.indexOf(azure ? "ContextTokens" : "Request tokens");
        int out = columns.indexOf(azure ? "GeneratedTokens" : "Response tokens");
        List<TraceEntry> entries = new ArrayList<>();
        for (int i = header + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = path + " line " + (i + 1) + ": ";
            List<String> cells = cells(lines.get(i), where);
            if (cells.size() < columns.size()) {
                throw new IllegalArgumentException(where + "expected " + columns.size() + " columns (" + String.join(",", columns)
                        + "), got " + cells.size());
            }
            long nanos = azure ? azureNanos(cells.get(time).strip(), where) : secondsNanos(cells.get(time).strip(), where);
            int inputTokens = integer(cells.get(in).strip(), columns.get(in), where);
            int outputTokens = integer(cells.get(out).strip(), columns.get(out), where);
            // BurstGPT logs failed requests with 0 response tokens: nothing to replay.
            if (!azure && (outputTokens == 0 || inputTokens == 0)) continue;
            entries.add(entry(where, nanos, inputTokens, outputTokens, new long[0], i + 1));
        }
        return entries;
    }

    private static TraceEntry entry(String where, long nanos, int inputTokens, int outputTokens, long[] hashIds, int line) {
        if (inputTokens < 1 || outputTokens < 1) {
            throw new IllegalArgumentException(where + "expected input and output lengths of at least 1 token, got "
                    + inputTokens + " and " + outputTokens);
        }
        int maxBlocks = Math.ceilDiv(inputTokens, Trace.MOONCAKE_BLOCK_TOKENS);
        if (hashIds.length > maxBlocks) {
            throw new IllegalArgumentException(where + "expected at most " + maxBlocks + " hash_ids (blocks of "
                    + Trace.MOONCAKE_BLOCK_TOKENS + " tokens) for input_length " + inputTokens + ", got " + hashIds.length);
        }
        return new TraceEntry(nanos, inputTokens, outputTokens, hashIds, line);
    }

    private static long azureNanos(String value, String where) {
        try {
            var parsed = AZURE_TIME.parseBest(value, java.time.OffsetDateTime::from, LocalDateTime::from);
            var instant = parsed instanceof java.time.OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "expected TIMESTAMP like 2023-11-16 18:15:46.6805900, got '" + value + "'");
        }
    }

    private static long secondsNanos(String value, String where) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds >= 0 && Double.isFinite(seconds)) return Math.round(seconds * 1e9);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(where + "expected Timestamp in seconds (>= 0), got '" + value + "'");
    }

    private static int integer(String value, String column, String where) {
        try {
            double v = Double.parseDouble(value);
            if (v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v)) return (int) v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(where + "expected " + column + " to be a whole number of tokens, got '" + value + "'");
    }

    /** The cells of one CSV line; a malformed line (an unclosed quote) is bad input naming {@code where}. */
    private static List<String> cells(String line, String where) {
        try {
            MappingIterator<String[]> records = CSV.readerFor(String[].class).readValues(line);
            return records.hasNextValue() ? Arrays.asList(records.nextValue()) : List.of();
        } catch (IOException e) {
            throw new IllegalArgumentException(where + "not a CSV line (" + e.getMessage().lines().findFirst().orElse("")
                    + "): " + abbreviate(line));
        }
    }

    private static String abbreviate(String line) {
        String s = line.strip();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
