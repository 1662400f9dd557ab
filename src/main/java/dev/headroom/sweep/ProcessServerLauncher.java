package dev.headroom.sweep;

import dev.headroom.sweep.Launch.StartFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a server as a child process: its command from a {@link ServerCommand}, a free loopback port, stdout and
 * stderr to {@code server.log}; then polls {@code /health} and {@code /v1/models} until both answer 200, the
 * process exits, or the start-up timeout passes. A failure is classified from the log.
 */
public final class ProcessServerLauncher implements ServerLauncher {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ServerCommand command;
    private final Duration startupTimeout;
    private final Duration stopGrace;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param startupTimeout how long to wait for health ({@code --startup-timeout}); null for the command's default
     * @param stopGrace      how long a stopped server may take to exit before it is killed
     */
    public ProcessServerLauncher(ServerCommand command, Duration startupTimeout, Duration stopGrace) {
        this.command = command;
        this.startupTimeout = startupTimeout != null ? startupTimeout : command.defaultStartupTimeout();
        this.stopGrace = stopGrace;
    }

    /** The command {@link #start} would run for {@code variant} on {@code port} (writes its config file). */
    public List<String> commandLine(ServeVariant variant, Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        return command.prepare(variant, dir, port);
    }

    @Override
    public ServeVariant received(ServeVariant variant) {
        return command.received(variant);
    }

    @Override
    public boolean servesVllm() {
        return command.servesVllm();
    }

    @Override
    public Launch start(ServeVariant variant, Path dir) throws IOException {
        return start(variant, dir, 0);
    }

    /** Like {@link #start(ServeVariant, Path)} on {@code port} (0: a free one). */
    public Launch start(ServeVariant variant, Path dir, int port) throws IOException {
        int bound = port == 0 ? freeLoopbackPort() : port;
        List<String> argv = commandLine(variant, dir, bound);
        Path log = dir.resolve("server.log");
        String recorded = ServerCommand.recorded(argv);
        if (ServerCommand.executable(argv.get(0)).isEmpty()) {
            return new Launch.FailedToStart(StartFailure.EXITED, "cannot run '" + argv.get(0) + "': no such program"
                    + (argv.get(0).contains("/") ? "" : " on PATH"), log, recorded);
        }
        Process process;
        try {
            // Its own process group, so that stopping it reaches whatever it forks, even after it exits.
            process = new ProcessBuilder(ProcessGroup.leading(argv)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return new Launch.FailedToStart(StartFailure.EXITED, "cannot run '" + argv.get(0) + "': " + e.getMessage(), log,
                    recorded);
        }
        ProcessServer server = new ProcessServer(process, "http://127.0.0.1:" + bound, log, stopGrace, recorded);
        try {
            return awaitHealth(server, variant);
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + argv.get(0) + " was starting; it was stopped");
        }
    }

    private Launch awaitHealth(ProcessServer server, ServeVariant variant) throws InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) return exited(server);
            if (answers(server.baseUrl() + "/health") && answers(server.baseUrl() + "/v1/models")) {
                server.readStartupFigures(blockSize(variant));
                return new Launch.Running(server);
            }
            try {
                server.process().onExit().get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException stillRunning) {
                // poll again
            }
        }
        server.close();
        List<String> lines = LogFile.lines(server.log());
        return StartupClassifier.classify(lines)
                .map(f -> new Launch.FailedToStart(f.cause(), f.message(), server.log(), server.command()))
                .orElseGet(() -> new Launch.FailedToStart(StartFailure.HEALTH_TIMEOUT, "no answer from /health within "
                        + text(startupTimeout) + lastWords(lines), server.log(), server.command()));
    }

    private static Launch exited(ProcessServer server) {
        int code = server.process().exitValue();
        // What it forked may live on (holding the GPU, or the port): its group goes with it.
        server.close();
        List<String> lines = LogFile.lines(server.log());
        return StartupClassifier.classify(lines)
                .map(f -> new Launch.FailedToStart(f.cause(), f.message(), server.log(), server.command()))
                .orElseGet(() -> new Launch.FailedToStart(StartFailure.EXITED, "exited with code " + code
                        + lastWords(lines), server.log(), server.command()));
    }

    private static String lastWords(List<String> lines) {
        return StartupClassifier.lastWords(lines).map(s -> "; last log line: " + s).orElse("");
    }

    private boolean answers(String url) throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code 10m}, {@code 90s}, {@code 500ms}: the duration forms the command line accepts. */
    static String text(Duration d) {
        if (d.toMillis() % 60_000 == 0) return d.toMinutes() + "m";
        if (d.toMillis() % 1000 == 0) return d.toSeconds() + "s";
        return d.toMillis() + "ms";
    }

    static int blockSize(ServeVariant variant) {
        Object b = variant.values().get("block_size");
        return b instanceof Number n ? n.intValue() : 16;
    }

    /** A free TCP port on 127.0.0.1 (the server binds it a moment later). */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
