package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

class SimTokenizerTest {

    private static final String PROSE = """
            The harbour town woke slowly. Fishing boats came in around six, their decks stacked with crates of \
            mackerel and the occasional crab, and the gulls followed them in a loud, untidy cloud. By seven the \
            bakery on the corner had sold its first tray of rolls, and the owner, a patient woman named Ellen, \
            was arguing with a supplier about the price of flour. "It went up twelve percent in March," he said, \
            "and another four in June." She did the arithmetic on the back of a receipt and shook her head.
            Tourists arrived after nine. Most of them wanted coffee, directions to the lighthouse, and a photograph \
            of the old customs house, which had been painted a surprising shade of green in 1987. Nobody in town \
            remembered who had chosen the colour, although several people claimed to.
            """;

    private final SimTokenizer tokenizer = new SimTokenizer(151936);

    @Test
    void countsEnglishProseLikeABpeTokenizer() {
        int bpe = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE).countTokens(PROSE);
        int sim = tokenizer.encode(PROSE).length;
        assertThat((double) sim / bpe).isCloseTo(1.0, within(0.10));
    }

    @Test
    void equalTextGivesEqualIdsSoPrefixesMatch() {
        int[] a = tokenizer.encode("You are a helpful assistant. Summarize the text.");
        int[] b = tokenizer.encode("You are a helpful assistant. Translate the text.");
        assertThat(a).startsWith(java.util.Arrays.copyOf(b, 6));
        assertThat(tokenizer.encode(PROSE)).isEqualTo(tokenizer.encode(PROSE));
        assertThat(java.util.stream.IntStream.of(tokenizer.encode(PROSE)).allMatch(id -> id >= 0 && id < tokenizer.vocabSize() - 3))
                .isTrue();
    }

    @Test
    void splitsLongWordsNumbersAndPunctuation() {
        assertThat(tokenizer.encode(" understanding")).hasSize(2);
        assertThat(tokenizer.encode(" (word) it's")).hasSize(5);
        assertThat(tokenizer.encode("end.\n\nNext")).hasSize(3);
        assertThat(tokenizer.encode("1234567")).hasSize(3);
        assertThat(tokenizer.encode("a, b.")).hasSize(4);
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void chatTemplateWrapsTurnsInMarkers() {
        int[] user = tokenizer.encode("user\nhi");
        int[] chat = tokenizer.encodeChat(null, "hi");
        assertThat(chat[0]).isEqualTo(tokenizer.vocabSize() - 2);
        assertThat(chat.length).isEqualTo(user.length + 1 + 1 + 1 + 1 + tokenizer.encode("assistant\n").length);
        assertThat(tokenizer.encodeChat("be brief", "hi").length).isGreaterThan(chat.length + 4);
    }

    @Test
    void outputIsDeterministicReadableText() {
        long seed = SimTokenizer.seedOf(tokenizer.encode(PROSE));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            int id = tokenizer.outputTokenId(seed, i);
            assertThat(id).isEqualTo(tokenizer.outputTokenId(seed, i));
            text.append(tokenizer.decode(id));
        }
        assertThat(text.toString()).matches("[ a-z,.]+");
        assertThat(text.toString().split(" ").length).isGreaterThan(30);
        assertThat(tokenizer.decode(tokenizer.eosTokenId())).isEmpty();
        assertThat(tokenizer.decode(12345)).isNotEmpty();
    }

    @Test
    void naturalLengthRespectsMinTokens() {
        for (long seed = 0; seed < 200; seed++) {
            assertThat(SimTokenizer.naturalOutputTokens(seed, 0)).isBetween(16, 511);
            assertThat(SimTokenizer.naturalOutputTokens(seed, 600)).isEqualTo(600);
        }
    }
}
