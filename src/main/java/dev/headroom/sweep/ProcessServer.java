package dev.headroom.sweep;

import java.nio.file.Path;
import java.time.Duration;

/** A server running as a child process, stopped by its own process id (and its process tree) on close. */
final class ProcessServer implements ServerHandle {

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final Duration stopGrace;
    private final String command;
    private final Thread stopOnExit;
    private volatile VllmStartupLog figures = VllmStartupLog.NONE;

    /** @param command the command line that started it, as {@link ServerCommand#recorded} writes it */
    ProcessServer(Process process, String baseUrl, Path log, Duration stopGrace, String command) {
        this.process = process;
        this.command = command;
        this.baseUrl = baseUrl;
        this.log = log;
        this.stopGrace = stopGrace;
        // A sweep stopped with Ctrl-C must not leave a server holding the GPU.
        this.stopOnExit = new Thread(() -> ProcessStopper.stop(process.toHandle(), stopGrace), "stop-server-" + process.pid());
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    Process process() {
        return process;
    }

    /** The process id, as the operating system knows it. */
    long pid() {
        return process.pid();
    }

    void readStartupFigures(int blockSizeTokens) {
        figures = VllmStartupLog.parse(LogFile.lines(log), blockSizeTokens);
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public VllmStartupLog startupFigures() {
        return figures;
    }

    @Override
    public void close() {
        ProcessStopper.stop(process.toHandle(), stopGrace);
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; the process is stopped either way
        }
    }
}
