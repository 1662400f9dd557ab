package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The byte scanner must read every message exactly as the Jackson pass does, and vouch for ordinary token chunks. */
class ChunkScannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a reading produced, or that it failed; comparable. */
    private record Reading(boolean tokenBearing, boolean hasContent, boolean finishReason, int promptTokens, int completionTokens,
                           String errorMessage, int errorCode, long serverSentNanos, boolean failed) {}

    private static Reading fast(byte[] payload) {
        ChunkReader r = new ChunkReader();
        try {
            r.read(payload, 0, payload.length);
        } catch (IOException e) {
            return new Reading(false, false, false, -1, -1, null, 0, -1, true);
        }
        return reading(r);
    }

    private static Reading jackson(byte[] payload) {
        ChunkReader r = new ChunkReader();
        try {
            r.parse(payload, 0, payload.length);
        } catch (IOException e) {
            return new Reading(false, false, false, -1, -1, null, 0, -1, true);
        }
        return reading(r);
    }

    private static Reading reading(ChunkReader r) {
        return new Reading(r.tokenBearing, r.hasContent, r.finishReason, r.promptTokens, r.completionTokens, r.errorMessage,
                r.errorCode, r.serverSentNanos, false);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Token text: empty, plain, unicode (BMP and beyond), quotes, backslashes, control characters. */
    @Provide
    Arbitrary<String> tokenText() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(12)
                .filter(ChunkScannerTest::isWellFormed);
        Arbitrary<String> tricky = Arbitraries.strings().withChars("a \"\\/\n\t\u0001é✓\u2028").ofMaxLength(8);
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(" tok", "Hello", "😀", "日本語", " ,"), any, tricky);
    }

    private static boolean isWellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    /** vLLM-shaped messages: chat and completions token chunks, role-only delta, usage-only, errors, the send stamp. */
    @Provide
    Arbitrary<String> message() {
        Arbitrary<String> text = tokenText().map(ChunkScannerTest::quote);
        Arbitrary<String> finish = Arbitraries.of("null", "\"length\"", "\"stop\"");
        Arbitrary<String> stamp = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2).map(n -> ",\"headroom_sent_ns\":" + n));
        Arbitrary<String> chat = Combinators.combine(text, finish, stamp, Arbitraries.of(true, false)).as((t, f, s, usageNull) ->
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + t + "},\"logprobs\":null,\"finish_reason\":" + f
                        + "}]" + (usageNull ? ",\"usage\":null" : "") + s + "}");
        Arbitrary<String> roleOnly = stamp.map(s -> "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + s + "}");
        Arbitrary<String> completion = Combinators.combine(text, finish, stamp).as((t, f, s) ->
                "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":"
                        + t + ",\"logprobs\":null,\"finish_reason\":" + f + ",\"stop_reason\":null}]" + s + "}");
        Arbitrary<String> usage = Arbitraries.integers().between(0, 100000).map(n -> "{\"id\":\"x\",\"object\":\"chat.completion.chunk\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + n + ",\"total_tokens\":" + (n + 7) + ",\"completion_tokens\":7}}");
        Arbitrary<String> error = Combinators.combine(text, Arbitraries.integers().between(400, 599), Arbitraries.of(true, false))
                .as((m, code, wrapped) -> wrapped
                        ? "{\"error\":{\"message\":" + m + ",\"type\":\"InternalServerError\",\"param\":null,\"code\":" + code + "}}"
                        : "{\"object\":\"error\",\"message\":" + m + ",\"type\":\"BadRequestError\",\"code\":" + code + "}");
        Arbitrary<String> nested = text.map(t -> "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + t + "}}],\"content\":" + t + "},\"logprobs\":{\"content\":[{\"logprob\":-0.5e-3,\"top\":[1,2.5,true,false]}]}}]}");
        // n > 1: only the first choice's text counts, any choice's finish_reason does.
        Arbitrary<String> twoChoices = Combinators.combine(text, finish, finish).as((t, f1, f2) ->
                "{\"id\":\"cmpl-2\",\"choices\":[{\"index\":0,\"text\":" + t + ",\"finish_reason\":" + f1 + "},"
                        + "{\"index\":1,\"text\":\"x\",\"finish_reason\":" + f2 + "}]}");
        return Arbitraries.oneOf(chat, roleOnly, completion, usage, error, nested, twoChoices);
    }

    @Property(tries = 1000)
    void readsEveryVllmShapedMessageAsJacksonDoes(@ForAll("message") String message, @ForAll boolean spaced) {
        String json = spaced ? message.replace(",\"", ", \"").replace("\":", "\" :\t") : message;
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        assertThat(fast(payload)).isEqualTo(jackson(payload));
    }

    @Property(tries = 1000)
    void agreesWithJacksonOnDamagedMessages(@ForAll("message") String message, @ForAll @IntRange(min = 0, max = 400) int at,
                                            @ForAll @IntRange(min = 0, max = 255) int value, @ForAll boolean truncate) {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        int i = at % payload.length;
        byte[] damaged;
        if (truncate) {
            damaged = java.util.Arrays.copyOf(payload, i);
        } else {
            damaged = payload.clone();
            damaged[i] = (byte) value;
        }
        assertThat(fast(damaged)).isEqualTo(jackson(damaged));
    }

    @Property(tries = 300)
    void vouchesForOrdinaryTokenChunksWithoutJackson(@ForAll("tokenText") String text, @ForAll boolean chat) {
        String json = chat
                ? "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "},\"finish_reason\":null}],\"headroom_sent_ns\":5}"
                : "{\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":" + quote(text) + ",\"finish_reason\":null}]}";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        ChunkReader out = new ChunkReader();
        assertThat(new ChunkScanner().scan(payload, 0, payload.length, out)).isTrue();
        assertThat(out.tokenBearing).isTrue();
        assertThat(out.hasContent).isEqualTo(!text.isEmpty());
    }

    @Test
    void leavesUsageErrorsAndMalformedInputToTheFullParse() {
        List<String> declined = new ArrayList<>(List.of(
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
                "{\"error\":{\"message\":\"boom\",\"code\":500}}",
                "{\"object\":\"error\",\"message\":\"bad\"}",
                "{\"object\":\"\\u0065rror\",\"message\":\"bad\"}",
                "{\"ch\\u006fices\":[{\"text\":\"x\"}]}",
                "{\"choices\": [{\"delta\": ",
                "{\"choices\":[{\"text\":\"x\"}]} trailing",
                "{\"choices\":[{\"text\":01}]}",
                "[1,2]",
                ""));
        for (String json : declined) {
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            assertThat(new ChunkScanner().scan(payload, 0, payload.length, new ChunkReader())).as(json).isFalse();
            assertThat(fast(payload)).as(json).isEqualTo(jackson(payload));
        }
    }
}
