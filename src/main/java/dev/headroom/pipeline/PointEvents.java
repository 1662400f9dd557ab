package dev.headroom.pipeline;

/** What a load point tells its caller while it runs: warnings for the console and each finished request. */
public interface PointEvents {

    /** No console, no progress. */
    PointEvents NONE = new PointEvents() {};

    /** A one-line warning, without the {@code headroom: warning: } prefix. */
    default void warn(String message) {}

    /** One measured request finished (warm-up requests are not counted). */
    default void requestDone() {}
}
