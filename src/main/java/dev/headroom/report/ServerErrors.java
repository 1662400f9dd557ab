package dev.headroom.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's start-up failure in one plain sentence, with the server's own message kept to fold in under the block
 * that cites it ({@link Doc.Details}): a client reads the sentence, an engineer opens the original.
 */
final class ServerErrors {

    private static final Pattern ESTIMATED_LEN = Pattern.compile("estimated maximum model length is (\\d+)");

    /** The originals cited while one block was written, by the label they are folded under. */
    private final Map<String, String> originals = new LinkedHashMap<>();

    /**
     * The failure of config {@code config} in plain words, and its original kept for {@link #appendTo}.
     *
     * @param failure the failure code of configs.csv ({@code out_of_memory}, {@code kv_cache_too_small}, ...), or ""
     * @param message the server's own words, or ""
     */
    String cite(String config, String failure, String message) {
        return keep("vLLM's own message for config `" + config + "`", plain(failure, message), message);
    }

    /** The planner's prediction of vLLM's refusal of config {@code config}, in plain words, its words kept likewise. */
    String predicted(String config, String message) {
        return keep("vLLM's message as the planner predicts it for config `" + config + "`", plain("", message), message);
    }

    private String keep(String label, String plain, String message) {
        if (message.isBlank()) return plain;
        originals.putIfAbsent(label, message);
        return plain + " vLLM's own words are below.";
    }

    /** Each original cited since the last call, as a folded block; then forgets them. */
    void appendTo(Doc doc) {
        originals.forEach(doc::details);
        originals.clear();
    }

    /** One sentence saying what went wrong and what to change, ending in a full stop. */
    static String plain(String failure, String message) {
        String m = message == null ? "" : message;
        if (m.contains("No available memory for the cache blocks")) {
            return "After loading the model no GPU memory was left for the KV cache; raise the GPU memory fraction.";
        }
        if (failure.equals("kv_cache_too_small") || m.contains("larger than the available KV cache memory")) {
            Matcher len = ESTIMATED_LEN.matcher(m);
            return "The KV cache cannot hold one request of the full context length; lower the context-length limit"
                    + (len.find() ? " (vLLM estimates " + Fmt.count(Double.parseDouble(len.group(1))) + " tokens would fit)" : "")
                    + " or raise the GPU memory fraction.";
        }
        if (failure.equals("out_of_memory") || m.contains("out of memory")) {
            return "The GPU ran out of memory while the server started; lower the GPU memory fraction or the context-length limit.";
        }
        return switch (failure) {
            case "bad_config" -> "vLLM refused these settings as invalid.";
            case "health_timeout" -> "The server did not become ready in time.";
            case "exited" -> "The server exited while starting.";
            case "" -> "vLLM refuses to start with these settings.";
            default -> "The server failed to start (" + failure.replace('_', ' ') + ").";
        };
    }
}
