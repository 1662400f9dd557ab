package dev.headroom.sweep;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line that starts one kind of server for a {@link ServeVariant}, bound to 127.0.0.1 on a given port.
 * Run as is (no shell), so the started process's id is the server's own.
 */
public sealed interface ServerCommand
        permits ServerCommand.Vllm, ServerCommand.Sglang, ServerCommand.LlamaServer, ServerCommand.Template {

    /** vLLM's cold start (weights, profiling, CUDA graphs) can take minutes. */
    Duration REAL_SERVER_STARTUP = Duration.ofMinutes(10);

    /**
     * The command for {@code variant} on {@code port}, writing any config file it needs under {@code dir}.
     */
    List<String> prepare(ServeVariant variant, Path dir, int port) throws IOException;

    /** The program the command runs (its first word), to check before a sweep starts. */
    String program();

    /**
     * What of {@code variant} the server receives: every key for a server reading the config file, the keys its
     * flags carry for one that reads none, nothing for a template without {@code {config}}. configs.csv and
     * capacity.csv record (and the planner predicts) only these.
     */
    default ServeVariant received(ServeVariant variant) {
        return variant;
    }

    /**
     * Whether the command starts vLLM, whose start-up the planner predicts: {@code vllm}, and a template that reads
     * the vLLM {@code --config} file; not llama.cpp's or SGLang's server, whose memory the planner does not model.
     */
    default boolean servesVllm() {
        return true;
    }

    /** How long to wait for health by default. */
    default Duration defaultStartupTimeout() {
        return REAL_SERVER_STARTUP;
    }

    /** {@code vllm serve --config FILE --host 127.0.0.1 --port P} (command line wins over the file, as in vLLM). */
    record Vllm() implements ServerCommand {
        @Override
        public String program() {
            return "vllm";
        }

        @Override
        public List<String> prepare(ServeVariant variant, Path dir, int port) throws IOException {
            return List.of("vllm", "serve", "--config", configFile(variant, dir).toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port));
        }
    }

    /** {@code python3 -m sglang.launch_server --config FILE ...}, the variant's keys under SGLang's names. */
    record Sglang() implements ServerCommand {
        @Override
        public boolean servesVllm() {
            return false;
        }

        @Override
        public String program() {
            return "python3";
        }

        @Override
        public List<String> prepare(ServeVariant variant, Path dir, int port) throws IOException {
            Path file = dir.resolve("sglang.yaml");
            ServeYaml.write(ServerFlags.sglang(variant.values()), file);
            return List.of("python3", "-m", "sglang.launch_server", "--config", file.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port));
        }
    }

    /** {@code llama-server -m MODEL --host 127.0.0.1 --port P --metrics ...}: llama.cpp reads no config file. */
    record LlamaServer() implements ServerCommand {
        @Override
        public boolean servesVllm() {
            return false;
        }

        @Override
        public String program() {
            return "llama-server";
        }

        @Override
        public ServeVariant received(ServeVariant variant) {
            return new ServeVariant(variant.label(), ServerFlags.llamaServerKeys(variant.values()), variant.source());
        }

        @Override
        public List<String> prepare(ServeVariant variant, Path dir, int port) {
            List<String> argv = new ArrayList<>(List.of("llama-server", "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--metrics"));
            argv.addAll(ServerFlags.llamaServer(variant.values()));
            return argv;
        }
    }

    /**
     * A user's command with {@code {config}} (the variant's vLLM {@code --config} YAML) and {@code {port}} filled in,
     * split into words as a shell would (single and double quotes group words; no variables, pipes or globs).
     */
    record Template(List<String> words) implements ServerCommand {

        public Template {
            words = List.copyOf(words);
            if (words.stream().noneMatch(w -> w.contains("{port}"))) {
                throw new IllegalArgumentException("--server: the command template '" + String.join(" ", words)
                        + "' has no {port}; e.g. './headroom sim --config {config} --port {port}'");
            }
        }

        @Override
        public String program() {
            return words.get(0);
        }

        @Override
        public ServeVariant received(ServeVariant variant) {
            return readsConfig() ? variant : new ServeVariant(variant.label(), Map.of(), null);
        }

        private boolean readsConfig() {
            return words.stream().anyMatch(w -> w.contains("{config}"));
        }

        /** Parses {@code --server}'s text into words. */
        public static Template parse(String text) {
            return new Template(ShellWords.split("--server", text));
        }

        @Override
        public List<String> prepare(ServeVariant variant, Path dir, int port) throws IOException {
            String config = readsConfig() ? configFile(variant, dir).toString() : "";
            return words.stream().map(w -> w.replace("{config}", config).replace("{port}", Integer.toString(port)))
                    .toList();
        }
    }

    /**
     * A command line as configs.csv and sweep.json record it: words quoted for a POSIX shell, the value of any
     * {@code --api-key} masked (a key is never written).
     */
    static String recorded(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            if (i > 0 && isApiKeyFlag(argv.get(i - 1))) w = "***";
            else if (w.contains("=") && isApiKeyFlag(w.substring(0, w.indexOf('=')))) w = w.substring(0, w.indexOf('=')) + "=***";
            out.add(SingleServer.quoted(w));
        }
        return String.join(" ", out);
    }

    private static boolean isApiKeyFlag(String word) {
        return word.equals("--api-key") || word.equals("--api_key");
    }

    /**
     * The program a command's first word names, if it can be run: a path (with a {@code /}) that is an executable
     * file, or a name found as one on {@code PATH}.
     */
    static Optional<Path> executable(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * The variant's vLLM {@code --config} file: its source file when the variant is that file unchanged, else
     * {@code dir/config.yaml} written from its values (never over the source).
     */
    static Path configFile(ServeVariant variant, Path dir) throws IOException {
        Path source = variant.source();
        if (source != null && variant.values().equals(Map.copyOf(ServeYaml.read(source, "--serve")))) return source;
        Path file = dir.resolve("config.yaml");
        ServeYaml.write(variant.values(), file);
        return file;
    }
}
