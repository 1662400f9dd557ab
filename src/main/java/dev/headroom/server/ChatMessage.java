package dev.headroom.server;

import java.util.Objects;

/** One chat message as the template sees it: a role and its text. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
