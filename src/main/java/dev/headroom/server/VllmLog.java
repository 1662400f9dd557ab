package dev.headroom.server;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Log lines in vLLM's format ({@code vllm/logger.py}: {@code LEVEL MM-DD HH:MM:SS [file.py:line] message}, with
 * the {@code (APIServer pid=N)} / {@code (EngineCore_DP0 pid=N)} process prefix of v0.10). Source locations are
 * those of vLLM v0.10.2, so tools that grep real vLLM logs find the same text.
 */
public final class VllmLog {

    /** The vLLM process a line comes from. */
    public enum Process {
        API_SERVER("APIServer"),
        ENGINE_CORE("EngineCore_DP0");

        final String label;

        Process(String label) {
            this.label = label;
        }
    }

    /** Where vLLM v0.10.2 logs each line we reproduce. */
    public enum Site {
        SERVER_VERSION(Process.API_SERVER, "api_server.py:1896"),
        NON_DEFAULT_ARGS(Process.API_SERVER, "utils.py:328"),
        MAX_MODEL_LEN(Process.API_SERVER, "__init__.py:1815"),
        CHUNKED_PREFILL(Process.API_SERVER, "scheduler.py:222"),
        MODEL_LOADING(Process.ENGINE_CORE, "gpu_model_runner.py:2392"),
        KV_CACHE_MEMORY(Process.ENGINE_CORE, "gpu_worker.py:298"),
        KV_CACHE_SIZE(Process.ENGINE_CORE, "kv_cache_utils.py:864"),
        MAX_CONCURRENCY(Process.ENGINE_CORE, "kv_cache_utils.py:868"),
        ENGINE_FAILED(Process.ENGINE_CORE, "core.py:708"),
        CACHE_CONFIG_INFO(Process.API_SERVER, "loggers.py:142"),
        SERVER_STARTING(Process.API_SERVER, "api_server.py:1971"),
        STATS(Process.API_SERVER, "loggers.py:123"),
        /** The bf16-to-fp16 fallback and cast warnings; vllm/config in v0.10 (line not pinned). */
        DTYPE(Process.API_SERVER, "__init__.py", true);

        final Process process;
        final String location;
        final boolean warning;

        Site(Process process, String location) {
            this(process, location, false);
        }

        Site(Process process, String location, boolean warning) {
            this.process = process;
            this.location = location;
            this.warning = warning;
        }

        /** The site of a start-up line from the planner, by its opening words; engine-core memory lines. */
        public static Site ofPlannerLine(String message) {
            if (message.startsWith("Model loading took")) return MODEL_LOADING;
            if (message.startsWith("GPU KV cache size")) return KV_CACHE_SIZE;
            if (message.startsWith("Maximum concurrency")) return MAX_CONCURRENCY;
            if (message.startsWith("Using max model len")) return MAX_MODEL_LEN;
            if (message.startsWith("Chunked prefill")) return CHUNKED_PREFILL;
            if (message.startsWith("Your device") || message.startsWith("Casting")) return DTYPE;
            return KV_CACHE_MEMORY;
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    private final PrintStream out;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();

    /** Writes to {@code out}, stamping lines with {@code clock}'s local time. */
    public VllmLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** An INFO line. */
    public void info(Site site, String message) {
        line("INFO", site, message);
    }

    /** A WARNING line. */
    public void warning(Site site, String message) {
        line("WARNING", site, message);
    }

    /** An ERROR line. */
    public void error(Site site, String message) {
        line("ERROR", site, message);
    }

    /** A raw line under a process prefix (uvicorn's {@code INFO:     ...} and exception lines). */
    public void plain(Process process, String message) {
        out.println("(" + process.label + " pid=" + pid + ") " + message);
    }

    private void line(String level, Site site, String message) {
        String stamp = LocalDateTime.now(clock).format(STAMP);
        out.println("(" + site.process.label + " pid=" + pid + ") " + level + " " + stamp + " [" + site.location + "] "
                + message);
    }
}
