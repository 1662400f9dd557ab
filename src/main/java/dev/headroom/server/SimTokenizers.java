package dev.headroom.server;

import dev.headroom.engine.SimTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's {@link SimTokenizer} as the server's {@link Tokenizer}. Chat prompts use SimTokenizer's ChatML
 * form (single-token {@code <|im_start|>}/{@code <|im_end|>} markers), generalised from its system + user
 * {@code encodeChat} to any list of messages, so the live server and the offline runner count the same tokens.
 */
public final class SimTokenizers {

    private SimTokenizers() {}

    /** {@code tokenizer} behind the server's interface. */
    public static Tokenizer of(SimTokenizer tokenizer) {
        // SimTokenizer.encodeChat(null, "") = [start] "user\n" [end] "\n" [start] "assistant\n": read the markers off it
        int[] probe = tokenizer.encodeChat(null, "");
        int start = probe[0];
        int end = probe[1 + tokenizer.encode("user\n").length];
        return new Tokenizer() {
            @Override
            public int[] encode(String text) {
                return tokenizer.encode(text);
            }

            @Override
            public String decode(int tokenId) {
                return tokenizer.decode(tokenId);
            }

            @Override
            public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
                int[] out = new int[64];
                int n = 0;
                for (ChatMessage m : messages) {
                    out = grow(out, n, 1);
                    n = append(out, n, start);
                    int[] body = tokenizer.encode(m.role() + "\n" + m.content());
                    int[] newline = tokenizer.encode("\n");
                    out = grow(out, n, body.length + 1 + newline.length);
                    n = append(out, n, body);
                    n = append(out, n, end);
                    n = append(out, n, newline);
                }
                if (addGenerationPrompt) {
                    int[] assistant = tokenizer.encode("assistant\n");
                    out = grow(out, n, 1 + assistant.length);
                    n = append(out, n, start);
                    n = append(out, n, assistant);
                }
                return Arrays.copyOf(out, n);
            }
        };
    }

    private static int[] grow(int[] buffer, int used, int more) {
        return used + more <= buffer.length ? buffer : Arrays.copyOf(buffer, Math.max(buffer.length * 2, used + more));
    }

    private static int append(int[] buffer, int at, int... ids) {
        System.arraycopy(ids, 0, buffer, at, ids.length);
        return at + ids.length;
    }
}
