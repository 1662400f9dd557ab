package dev.headroom.sweep;

import java.nio.file.Path;

/** What came of starting a server for one {@link ServeVariant}. */
public sealed interface Launch permits Launch.Running, Launch.FailedToStart {

    /** The command line that started the server, as {@link ServerHandle#command()} records it; null when none ran. */
    String command();

    /** The server answered its health check; the caller runs the load grid against it and closes it. */
    record Running(ServerHandle server) implements Launch {
        @Override
        public String command() {
            return server.command();
        }
    }

    /**
     * The server never became healthy.
     *
     * @param cause   why, as a {@link StartFailure}
     * @param message the server's own words (vLLM's error line quoted from its log), or ours when it said nothing
     * @param log     the server's log file, or null
     * @param command the command line that was run, as {@link ServerHandle#command()} records it, or null
     */
    record FailedToStart(StartFailure cause, String message, Path log, String command) implements Launch {

        /** A server that ran no command line (the simulator in this process). */
        public FailedToStart(StartFailure cause, String message, Path log) {
            this(cause, message, log, null);
        }
    }

    /** Why a server failed to start, as a sweep classifies it. */
    enum StartFailure {
        /** CUDA out of memory while loading or profiling, or no memory left for the KV cache. */
        OUT_OF_MEMORY,
        /** The KV cache cannot hold one request of max_model_len tokens. */
        KV_CACHE_TOO_SMALL,
        /** The server rejected its flags or config. */
        BAD_CONFIG,
        /** It did not answer /health within the timeout. */
        HEALTH_TIMEOUT,
        /** It exited for another reason (the message says which). */
        EXITED,
        /** Kubernetes placed its pod on no node: no node of its GPU class, or none with a free GPU. */
        UNSCHEDULABLE,
        /** Kubernetes could not pull its container image. */
        IMAGE_PULL,
        /** The kernel killed its container for passing the pod's memory limit (host memory, not the GPU's). */
        OOM_KILLED
    }
}
