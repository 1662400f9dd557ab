package dev.headroom.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * vLLM's serving flags written the two ways vLLM shows them: a {@code vllm serve} argument string
 * ({@code --max-model-len 8192 --enforce-eager}) and the Python dict of a start-up log's
 * {@code non-default args: {'max_model_len': 8192, 'enforce_eager': True}} (vllm/entrypoints/utils.py
 * log_non_default_args). Arguments that do not change memory or scheduling are skipped.
 */
public final class VllmArgs {

    private static final ObjectMapper LENIENT = new ObjectMapper()
            .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true)
            .configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true);

    private VllmArgs() {}

    /** Flags from {@code --key value} pairs and bare boolean flags, split on spaces. */
    public static ServeFlags fromCommandLine(String args) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        String[] t = args.trim().isEmpty() ? new String[0] : args.trim().split("\\s+");
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("--")) throw new IllegalArgumentException("vLLM arguments: '" + t[i] + "' is not a --flag");
            String key = t[i].substring(2);
            if (i + 1 < t.length && !t[i + 1].startsWith("--")) node.set(key, scalar(t[++i]));
            else node.put(key, true);
        }
        return ServeFlags.fromNode(node, true);
    }

    /** Flags from the Python dict literal vLLM logs as "non-default args". */
    public static ServeFlags fromPythonDict(String dict) {
        String json = dict.replaceAll("\\bTrue\\b", "true").replaceAll("\\bFalse\\b", "false")
                .replaceAll("\\bNone\\b", "null").replaceAll("<[^>]*>", "null");
        try {
            JsonNode node = LENIENT.readTree(json);
            if (node == null || !node.isObject()) throw new IllegalArgumentException("non-default args: not a dict");
            return ServeFlags.fromNode(node, true);
        } catch (IOException e) {
            throw new IllegalArgumentException("non-default args: cannot read " + dict + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static JsonNode scalar(String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (text.matches("-?\\d+")) return f.numberNode(Long.parseLong(text));
        if (text.matches("-?\\d*\\.\\d+")) return f.numberNode(Double.parseDouble(text));
        if (text.equals("true") || text.equals("false")) return f.booleanNode(Boolean.parseBoolean(text));
        return f.textNode(text);
    }
}
