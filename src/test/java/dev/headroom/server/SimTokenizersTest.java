package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.engine.SimTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server counts chat prompts exactly as the engine's offline runner does. */
class SimTokenizersTest {

    private final SimTokenizer sim = new SimTokenizer(151_936);
    private final Tokenizer tokenizer = SimTokenizers.of(sim);

    @Test
    void systemAndUserMatchTheEnginesEncodeChat() {
        List<ChatMessage> messages = List.of(new ChatMessage("system", "You are terse."),
                new ChatMessage("user", "Summarize the report in three lines."));
        assertThat(tokenizer.encodeChat(messages, true))
                .containsExactly(sim.encodeChat("You are terse.", "Summarize the report in three lines."));
    }

    @Test
    void userOnlyMatchesAndGenerationPromptIsOptional() {
        List<ChatMessage> user = List.of(new ChatMessage("user", "hello world"));
        int[] withPrompt = tokenizer.encodeChat(user, true);
        assertThat(withPrompt).containsExactly(sim.encodeChat(null, "hello world"));
        int[] without = tokenizer.encodeChat(user, false);
        assertThat(withPrompt).startsWith(without);
        assertThat(withPrompt.length - without.length).isEqualTo(1 + sim.encode("assistant\n").length);
    }

    @Test
    void encodeAndDecodeDelegate() {
        assertThat(tokenizer.encode("plain text")).containsExactly(sim.encode("plain text"));
        assertThat(tokenizer.decode(sim.eosTokenId())).isEmpty();
    }
}
