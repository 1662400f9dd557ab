package dev.headroom.pipeline;

/** A load point that could not run at all; the message is one line for users. */
public final class PointError extends RuntimeException {

    /** Why the point could not run. */
    public enum Kind {
        /** The server could not be reached or did not answer its first request. */
        UNREACHABLE,
        /** vLLM (or the simulator imitating it) would refuse this setup. */
        REFUSED
    }

    private final Kind kind;

    public PointError(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
