package dev.headroom.sweep;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code configs.csv}: one row per server config, written as each config finishes. A config run again (a resumed
 * sweep) replaces its earlier row, so the file holds each config once.
 */
public final class ConfigsCsv {

    private ConfigsCsv() {}

    /** The header line. */
    public static String header() {
        return String.join(",", ConfigOutcome.columns());
    }

    /** One row: numbers in full precision with {@code .}, booleans {@code true}/{@code false}, null empty. */
    public static String row(ConfigOutcome outcome) {
        Map<String, Object> m = outcome.toMap();
        return ConfigOutcome.columns().stream().map(c -> cell(m.get(c))).collect(Collectors.joining(","));
    }

    /** Appends {@code outcome}'s row to {@code csv} (writing the header first), replacing a row of the same config. */
    public static void append(Path csv, ConfigOutcome outcome) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(csv)) {
            String label = cell(outcome.config());
            List<String> old = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (int i = 0; i < old.size(); i++) {
                if (i == 0 || !old.get(i).startsWith(label + ",")) lines.add(old.get(i));
            }
        }
        if (lines.isEmpty()) lines.add(header());
        lines.add(row(outcome));
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String cell(Object value) {
        if (value == null) return "";
        String text = switch (value) {
            case Double d -> d.isNaN() || d.isInfinite() ? "" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Float f -> BigDecimal.valueOf(f.doubleValue()).stripTrailingZeros().toPlainString();
            default -> String.valueOf(value);
        };
        boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
        return quote ? "\"" + text.replace("\"", "\"\"").replace("\r", " ").replace("\n", " ") + "\"" : text;
    }
}
