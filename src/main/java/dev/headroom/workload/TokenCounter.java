package dev.headroom.workload;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts a prompt's tokens, as the target server would if possible. Implementations are thread-safe. */
public interface TokenCounter {

    /** Tokens of a prompt made of an optional system message and a user message (or the whole completion prompt). */
    int count(String system, String user);

    /**
     * What counted: {@code server} (the target's {@code /tokenize}, in whichever form it answers) or a bundled
     * tokenizer's name, e.g. {@code cl100k_base}.
     */
    String name();

    /** One line for the run's log when these counts may differ from the server's own, or null when they match. */
    default String warning() {
        return null;
    }

    /** This counter with {@code warning} as its {@link #warning()}. */
    default TokenCounter withWarning(String warning) {
        TokenCounter inner = this;
        return new TokenCounter() {
            @Override
            public int count(String system, String user) {
                return inner.count(system, user);
            }

            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public String warning() {
                return warning;
            }
        };
    }

    /** The bundled fallback: OpenAI's cl100k_base BPE (jtokkit) over the completion text. */
    static TokenCounter cl100k() {
        Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        return new TokenCounter() {
            @Override
            public int count(String system, String user) {
                return encoding.countTokensOrdinary(system == null ? user : system + "\n\n" + user);
            }

            @Override
            public String name() {
                return "cl100k_base";
            }
        };
    }
}
