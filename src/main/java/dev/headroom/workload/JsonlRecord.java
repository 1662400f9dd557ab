package dev.headroom.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One non-blank line of a JSONL file, parsed, with the {@code "FILE line N: "} that an error about it starts with.
 *
 * @param where  the error prefix naming the file and the 1-based line
 * @param number the 1-based line number
 * @param text   the line as written
 */
record JsonlRecord(String where, int number, String text, JsonNode node) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses every non-blank line; a line that is not JSON fails naming its file and line. */
    static List<JsonlRecord> parse(Path path, List<String> lines) {
        List<JsonlRecord> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = path + " line " + (i + 1) + ": ";
            try {
                parsed.add(new JsonlRecord(where, i + 1, lines.get(i), JSON.readTree(lines.get(i))));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + "expected a JSON object, " + e.getOriginalMessage());
            }
        }
        return parsed;
    }
}
