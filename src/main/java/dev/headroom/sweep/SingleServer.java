package dev.headroom.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One server started from one vLLM {@code --config} YAML, for the {@code serve} verb: the exact command it would
 * run, and the start itself (log in the output folder, health awaited, stopped by its own pid on close).
 *
 * @param serverOption   {@code --server}: sim, vllm, llama-server, sglang or a command template
 * @param sim            the GPU and vLLM release the simulator serves (for {@code sim})
 * @param startupTimeout how long to wait for health, or null for the server's default
 */
public record SingleServer(String serverOption, SimSettings sim, Duration startupTimeout) {

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    public SingleServer {
        ServerLaunchers.of(serverOption, sim, startupTimeout);
    }

    private boolean embedded() {
        return serverOption.strip().equals("sim");
    }

    /**
     * The command line, quoted for a POSIX shell, that starts {@code variant} on {@code port} with its files in
     * {@code out} (0: a free port now); for the embedded simulator, the equivalent {@code headroom sim} command.
     */
    public String command(ServeVariant variant, Path out, int port) throws IOException {
        if (port == 0) return command(variant, out, ProcessServerLauncher.freeLoopbackPort());
        Files.createDirectories(out);
        List<String> argv = embedded()
                ? List.of("headroom", "sim", "--gpu", sim.gpu().gpu().id(), "--vllm-version", sim.version().toString(),
                        "--config", ServerCommand.configFile(variant, out).toString(), "--port", Integer.toString(port))
                : new ProcessServerLauncher(ServerLaunchers.command(serverOption), startupTimeout,
                        ServerLaunchers.STOP_GRACE).commandLine(variant, out, port);
        return argv.stream().map(SingleServer::quoted).collect(Collectors.joining(" "));
    }

    /** Starts the server on {@code port} (0: a free one), its log at {@code out/server.log}, and waits for health. */
    public Launch start(ServeVariant variant, Path out, int port) throws IOException {
        return embedded() ? new SimServerLauncher(sim).start(variant, out, port)
                : new ProcessServerLauncher(ServerLaunchers.command(serverOption), startupTimeout,
                        ServerLaunchers.STOP_GRACE).start(variant, out, port);
    }

    static String quoted(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
