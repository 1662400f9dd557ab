package dev.headroom.sweep;

import dev.headroom.server.SimServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The simulator serving in this process until closed, with its log: the handle of every sweep that starts one. */
final class EmbeddedServer implements ServerHandle {
    private final SimServer server;
    private final PrintStream logStream;
    private final Path log;
    private final VllmStartupLog figures;
    private final Map<String, Object> description;
    private volatile boolean closed;

    /** Closing the handle closes {@code server} and {@code logStream}. */
    EmbeddedServer(SimServer server, PrintStream logStream, Path log, VllmStartupLog figures, Map<String, Object> description) {
        this.server = server;
        this.logStream = logStream;
        this.log = log;
        this.figures = figures;
        this.description = description;
    }

    @Override
    public Map<String, Object> simulatedTarget() {
        return description;
    }

    @Override
    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public boolean alive() {
        return !closed;
    }

    @Override
    public VllmStartupLog startupFigures() {
        return figures;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        server.close();
        logStream.close();
    }
}
