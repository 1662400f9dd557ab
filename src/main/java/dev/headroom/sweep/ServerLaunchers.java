package dev.headroom.sweep;

import java.time.Duration;

/** The launcher {@code --server} names: {@code sim}, {@code vllm}, {@code llama-server}, {@code sglang} or a command template. */
public final class ServerLaunchers {

    /** How long a stopped server may take to shut down before it is killed (vLLM frees the GPU in seconds). */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private ServerLaunchers() {}

    /**
     * The launcher for {@code --server}'s value.
     *
     * @param serverOption   {@code sim}, {@code vllm}, {@code llama-server}, {@code sglang}, or a command with
     *                       {@code {port}} (and usually {@code {config}}), e.g. {@code ./headroom sim --config {config} --port {port}}
     * @param sim            the simulator's GPU, vLLM release and calibration (for {@code sim})
     * @param startupTimeout {@code --startup-timeout}, or null for the default (10m for real servers)
     * @throws IllegalArgumentException one line naming {@code --server}, its value and what is accepted
     */
    public static ServerLauncher of(String serverOption, SimSettings sim, Duration startupTimeout) {
        if (serverOption.strip().equals("sim")) return new SimServerLauncher(sim);
        return new ProcessServerLauncher(command(serverOption), startupTimeout, STOP_GRACE);
    }

    /** Whether {@code --server}'s server is vLLM (or the simulator of it), whose start-up the planner predicts. */
    public static boolean servesVllm(String serverOption) {
        return serverOption.strip().equals("sim") || command(serverOption).servesVllm();
    }

    /**
     * Checks, before anything starts, that {@code --server}'s program can be run; nothing to check for {@code sim}.
     *
     * @throws IllegalArgumentException one line naming {@code --server}, the program and what would work
     */
    public static void requireProgram(String serverOption) {
        if (serverOption.strip().equals("sim")) return;
        String program = command(serverOption).program();
        if (ServerCommand.executable(program).isPresent()) return;
        throw new IllegalArgumentException("--server " + serverOption.strip() + ": '" + program + "' "
                + (program.contains("/") ? "is not an executable file" : "is not on PATH")
                + ", so no server can start; install it, or give its full path in a command template, e.g. "
                + "'/path/to/" + program.substring(program.lastIndexOf('/') + 1) + " ... --port {port}'");
    }

    /** The command of a process server: every {@code --server} value but {@code sim}, which runs in this process. */
    public static ServerCommand command(String serverOption) {
        String s = serverOption.strip();
        return switch (s) {
            case "vllm" -> new ServerCommand.Vllm();
            case "llama-server" -> new ServerCommand.LlamaServer();
            case "sglang" -> new ServerCommand.Sglang();
            default -> {
                if (!s.contains("{") && !s.contains(" ")) {
                    throw new IllegalArgumentException("--server: '" + serverOption + "' is not one of sim, vllm, "
                            + "llama-server, sglang, or a command template with {config} and {port} "
                            + "(e.g. './headroom sim --config {config} --port {port}')");
                }
                yield ServerCommand.Template.parse(s);
            }
        };
    }
}
