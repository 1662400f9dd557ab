package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which server a curve measured, so conclusions speak its terms: its flags, its knobs, what its {@code /metrics}
 * exposes. Read from the run's record of the server (run.yaml): the simulator stands for vLLM; llama.cpp's
 * {@code llama-server} answers with the HTTP header {@code Server: llama.cpp}; SGLang names itself in its header or
 * version; any other server is taken for vLLM, whose names headroom's server configs use.
 */
enum ServerKind {
    VLLM("vLLM"),
    LLAMA_CPP("llama-server"),
    SGLANG("SGLang");

    private final String label;

    ServerKind(String label) {
        this.label = label;
    }

    /** The server's name in a sentence: {@code vLLM}, {@code llama-server}, {@code SGLang}. */
    String label() {
        return label;
    }

    /** The server of a curve, from the first of its points that kept a run.yaml; vLLM when none did. */
    static ServerKind of(Curve c) {
        for (LoadPoint p : c.points()) {
            Path dir = c.folder(p);
            if (!Files.isRegularFile(dir.resolve("run.yaml"))) continue;
            try {
                return of(RunInfo.read(dir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the run record of " + dir, e);
            }
        }
        return VLLM;
    }

    /** The server a run recorded. */
    static ServerKind of(RunInfo run) {
        if (run.simulated()) return VLLM;
        String header = run.root().path("server").path("server_header").asText("").toLowerCase(Locale.ROOT);
        String version = run.root().path("server").path("version").asText("").toLowerCase(Locale.ROOT);
        if (header.contains("llama.cpp")) return LLAMA_CPP;
        if (header.contains("sglang") || version.contains("sglang")) return SGLANG;
        return VLLM;
    }
}
