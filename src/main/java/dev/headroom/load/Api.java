package dev.headroom.load;

import java.util.Locale;

/** The OpenAI endpoint a run talks to. */
public enum Api {
    CHAT("/v1/chat/completions"),
    COMPLETIONS("/v1/completions");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    /** The request path, relative to the base URL. */
    public String path() {
        return path;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --api chat|completions}. */
    public static Api parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "chat" -> CHAT;
            case "completions" -> COMPLETIONS;
            default -> throw new IllegalArgumentException("--api '" + value + "' is not known; use chat or completions");
        };
    }
}
