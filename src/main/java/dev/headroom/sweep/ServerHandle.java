package dev.headroom.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** A running server that a sweep started: where it listens, its log, and how to stop it (by its own pid, never by name). */
public interface ServerHandle extends AutoCloseable {

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    String baseUrl();

    /** Its log file (vLLM's own lines for vLLM and the simulator). */
    Path log();

    /** False once the server process (or the embedded server) has died. */
    boolean alive();

    /** The KV cache figures the server logged at start-up; none for a server headroom did not start. */
    default VllmStartupLog startupFigures() {
        return VllmStartupLog.NONE;
    }

    /** vLLM's {@code GPU KV cache size: N tokens} as logged, if it was. */
    default OptionalLong reportedKvCacheTokens() {
        return startupFigures().kvCacheTokens();
    }

    /** vLLM's {@code Maximum concurrency for L tokens per request: X x} as logged, if it was. */
    default OptionalDouble reportedMaxConcurrency() {
        return startupFigures().maxConcurrency();
    }

    /** The simulated setup as run.yaml's {@code simulated_target} records it when the simulator serves, else null. */
    default Map<String, Object> simulatedTarget() {
        return null;
    }

    /**
     * The command line that started it, words quoted for a POSIX shell and API keys masked
     * ({@link ServerCommand#recorded}); null for a server running in this process or one headroom did not start.
     */
    default String command() {
        return null;
    }

    /** Stops the server and waits for it to exit; harmless when already stopped. */
    @Override
    void close();
}
