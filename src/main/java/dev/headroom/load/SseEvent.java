package dev.headroom.load;

import java.nio.charset.StandardCharsets;

/** One server-sent event as the stream delivered it: a {@code data:} message, the {@code [DONE]} sentinel, or a comment. */
public sealed interface SseEvent permits SseEvent.Data, SseEvent.Done, SseEvent.Comment {

    /** A {@code data:} message; several {@code data:} lines are joined with {@code \n} as the SSE spec says. */
    record Data(byte[] payload) implements SseEvent {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** The OpenAI stream terminator {@code data: [DONE]}. */
    record Done() implements SseEvent {}

    /** An event holding only comment lines ({@code : ping}), which vLLM bench skips. */
    record Comment(String text) implements SseEvent {}
}
