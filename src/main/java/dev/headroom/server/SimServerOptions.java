package dev.headroom.server;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to serve a simulated engine.
 *
 * @param servedModelName the name clients send as {@code model} and the {@code model_name} metric label
 * @param modelRoot       the model path or HF id ({@code root} in {@code /v1/models})
 * @param host            bind address; 127.0.0.1 unless the user asks otherwise
 * @param port            TCP port; 0 picks a free one
 * @param maxModelLen     vLLM's {@code max_model_len}: prompt + max_tokens must fit
 * @param vllmVersion     the vLLM release being imitated (reported by {@code /version})
 * @param tokenizer       counts prompts and detokenizes outputs
 * @param cacheConfigInfo the labels of {@code vllm:cache_config_info} (vLLM CacheConfig fields as strings)
 * @param log             where vLLM-style log lines go, or null for none
 * @param logInterval     period of the stats line (vLLM: 10 s); null or zero for none
 */
public record SimServerOptions(
        String servedModelName,
        String modelRoot,
        String host,
        int port,
        int maxModelLen,
        String vllmVersion,
        Tokenizer tokenizer,
        Map<String, String> cacheConfigInfo,
        PrintStream log,
        Duration logInterval) {

    public SimServerOptions {
        if (servedModelName == null || servedModelName.isBlank()) {
            throw new IllegalArgumentException("--served-model-name must not be blank");
        }
        Objects.requireNonNull(modelRoot, "modelRoot");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("--port must be 0..65535, was " + port);
        if (maxModelLen < 1) throw new IllegalArgumentException("--max-model-len must be at least 1, was " + maxModelLen);
        Objects.requireNonNull(vllmVersion, "vllmVersion");
        Objects.requireNonNull(tokenizer, "tokenizer");
        cacheConfigInfo = Map.copyOf(cacheConfigInfo);
        if (logInterval != null && logInterval.isNegative()) {
            throw new IllegalArgumentException("--log-interval must not be negative, was " + logInterval);
        }
    }

    /** Loopback on a free port, no logging: the shape tests and the embedded target start from. */
    public static SimServerOptions loopback(String servedModelName, int maxModelLen, Tokenizer tokenizer) {
        return new SimServerOptions(servedModelName, servedModelName, "127.0.0.1", 0, maxModelLen, "0.10.2",
                tokenizer, Map.of(), null, null);
    }

    /** The same options with vLLM-style logging to {@code out} and the stats line every {@code interval}. */
    public SimServerOptions withLog(PrintStream out, Duration interval) {
        return new SimServerOptions(servedModelName, modelRoot, host, port, maxModelLen, vllmVersion, tokenizer,
                cacheConfigInfo, out, interval);
    }
}
