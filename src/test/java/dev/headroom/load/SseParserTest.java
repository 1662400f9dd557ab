package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SseParserTest {

    /** What an event looks like once parsed, for comparisons (byte[] has identity equality). */
    private static List<String> parse(byte[] stream, int[] cuts) {
        List<String> events = new ArrayList<>();
        SseParser parser = new SseParser();
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(stream.length, Math.max(from, cut));
            parser.feed(stream, from, to - from, e -> events.add(describe(e)));
            from = to;
        }
        parser.feed(stream, from, stream.length - from, e -> events.add(describe(e)));
        return events;
    }

    private static String describe(SseEvent e) {
        return switch (e) {
            case SseEvent.Data d -> "data:" + d.text();
            case SseEvent.Done d -> "done";
            case SseEvent.Comment c -> "comment:" + c.text();
        };
    }

    @Provide
    Arbitrary<List<String>> messages() {
        Arbitrary<String> json = Arbitraries.strings().withChars("abc{}[]\":, é✓").ofMaxLength(40)
                .map(s -> "{\"text\":\"" + s.replace("\"", "") + "\"}");
        Arbitrary<String> comment = Arbitraries.strings().alpha().ofMaxLength(10).map(s -> ": " + s);
        return Arbitraries.oneOf(json.map(j -> "data: " + j), comment, Arbitraries.just("data: [DONE]")).list().ofMaxSize(12);
    }

    @Property(tries = 300)
    void arbitrarySplitsGiveTheSameEvents(@ForAll("messages") List<String> messages,
                                          @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 2000) Integer> cuts,
                                          @ForAll boolean crlf) {
        String eol = crlf ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder();
        for (String m : messages) text.append(m).append(eol).append(eol);
        byte[] stream = text.toString().getBytes(StandardCharsets.UTF_8);
        int[] sorted = cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<String> whole = parse(stream, new int[0]);
        assertThat(parse(stream, sorted)).isEqualTo(whole);
        assertThat(whole).hasSize(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String m = messages.get(i);
            String expected = m.equals("data: [DONE]") ? "done" : m.startsWith(":") ? "comment:" + m.substring(1).strip() : "data:" + m.substring(6);
            assertThat(whole.get(i)).isEqualTo(expected);
        }
    }

    @Property(tries = 100)
    void everyByteBoundaryGivesTheSameEvents(@ForAll @IntRange(min = 1, max = 7) int step) {
        byte[] stream = "data: {\"a\":1}\r\n\r\n: ping\n\ndata: x\ndata: y\n\ndata:[DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[stream.length / step];
        for (int i = 0; i < cuts.length; i++) cuts[i] = (i + 1) * step;
        assertThat(parse(stream, cuts)).containsExactly("data:{\"a\":1}", "comment:ping", "data:x\ny", "done");
    }

    @Test
    void otherFieldsAreIgnoredAndAnUnfinishedEventIsPartial() {
        SseParser parser = new SseParser();
        List<String> events = new ArrayList<>();
        byte[] bytes = "event: message\nid: 7\nretry: 10\ndata: {}\n\ndata: {\"cut".getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length, e -> events.add(describe(e)));
        assertThat(events).containsExactly("data:{}");
        assertThat(parser.hasPartialEvent()).isTrue();
    }
}
