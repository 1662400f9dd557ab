package dev.headroom.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads dataset files into {@link Dialogue}s: ShareGPT JSON ({@code [{"conversations": [{"from", "value"}, …]}]},
 * {@code human}/{@code user} turns each followed by a {@code gpt}/{@code assistant} reply) or JSONL with one
 * object per line, either {@code {"prompt": …, "output_tokens": N?}} or {@code {"messages": [{"role",
 * "content"}, …], "output_tokens": N?}} (OpenAI chat form).
 */
final class DatasetReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetReader() {}

    static List<Dialogue> read(Path path) {
        List<Dialogue> dialogues;
        try {
            dialogues = path.toString().endsWith(".jsonl") ? jsonl(path) : shareGpt(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("--workload dataset:" + path + " cannot be read: " + e.getMessage());
        }
        if (dialogues.isEmpty()) {
            throw new IllegalArgumentException("--workload dataset:" + path + " holds no entries; expected ShareGPT JSON "
                    + "(conversations) or JSONL with a \"prompt\" or \"messages\" per line");
        }
        return dialogues;
    }

    private static List<Dialogue> jsonl(Path path) throws IOException {
        List<Dialogue> dialogues = new ArrayList<>();
        for (JsonlRecord line : JsonlRecord.parse(path, Files.readAllLines(path))) {
            String where = line.where();
            JsonNode node = line.node();
            int outputTokens = node.path("output_tokens").asInt(0);
            if (node.path("prompt").isTextual()) {
                int out = outputTokens > 0 ? outputTokens : DatasetWorkload.DEFAULT_OUTPUT_TOKENS;
                dialogues.add(new Dialogue(null, List.of(node.get("prompt").asText()), Arrays.asList((String) null), out));
            } else if (node.path("messages").isArray()) {
                Dialogue d = turns(node.get("messages"), "role", "content", outputTokens);
                if (d == null) throw new IllegalArgumentException(where + "expected \"messages\" with at least one \"user\" message");
                // Without output_tokens the recorded replies give the lengths; with no reply to the first, vLLM's default.
                boolean unsized = outputTokens == 0 && d.replies().getFirst() == null;
                dialogues.add(unsized ? new Dialogue(d.system(), d.users(), d.replies(), DatasetWorkload.DEFAULT_OUTPUT_TOKENS) : d);
            } else {
                throw new IllegalArgumentException(where + "needs a \"prompt\" string or a \"messages\" list");
            }
        }
        return dialogues;
    }

    private static List<Dialogue> shareGpt(Path path) throws IOException {
        List<Dialogue> dialogues = new ArrayList<>();
        for (JsonNode item : JSON.readTree(path.toFile())) {
            Dialogue d = turns(item.path("conversations"), "from", "value", 0);
            if (d != null) dialogues.add(d);
        }
        return dialogues;
    }

    /** User messages each with the reply after it; a system message kept; null when there is no user message. */
    private static Dialogue turns(JsonNode messages, String roleKey, String textKey, int outputTokens) {
        String system = null;
        List<String> users = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        for (JsonNode m : messages) {
            String text = m.path(textKey).asText("");
            switch (m.path(roleKey).asText("").toLowerCase(Locale.ROOT)) {
                case "system" -> system = users.isEmpty() ? text : system;
                case "human", "user" -> {
                    users.add(text);
                    replies.add(null);
                }
                default -> {
                    if (!users.isEmpty() && replies.getLast() == null) replies.set(replies.size() - 1, text);
                }
            }
        }
        return users.isEmpty() ? null : new Dialogue(system, users, replies, outputTokens);
    }
}
