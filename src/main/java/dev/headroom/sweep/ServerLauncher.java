package dev.headroom.sweep;

import java.io.IOException;
import java.nio.file.Path;

/** Starts one server per serve variant: the embedded simulator, vLLM, llama-server, SGLang or a command template. */
public interface ServerLauncher {

    /**
     * Starts a server for {@code variant}, keeps its log under {@code dir} ({@code server.log}) and waits for its
     * health check. Never throws for a server that fails to start: that is a {@link Launch.FailedToStart}.
     */
    Launch start(ServeVariant variant, Path dir) throws IOException;

    /** Whether the started server is vLLM (or its simulator), whose start-up the planner predicts; true by default. */
    default boolean servesVllm() {
        return true;
    }

    /** What of {@code variant} the started server receives ({@link ServerCommand#received}); all of it by default. */
    default ServeVariant received(ServeVariant variant) {
        return variant;
    }
}
