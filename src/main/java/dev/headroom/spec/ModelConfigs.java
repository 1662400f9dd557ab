package dev.headroom.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HF {@code config.json} files and the bundled catalog under {@code dev/headroom/spec/models/}. */
final class ModelConfigs {

    private static final String CATALOG = "/dev/headroom/spec/models/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys vLLM reads the context length from, in its order (vllm/config/model.py _get_and_verify_max_len). */
    private static final String[] MAX_LEN_KEYS = {"max_position_embeddings", "n_positions", "max_seq_len",
            "seq_length", "model_max_length", "max_sequence_length", "max_seq_length", "seq_len"};

    /** Keys that mark a mixture-of-experts model (Mixtral, Qwen-MoE, DeepSeek), whose weights are not modelled. */
    private static final String[] MOE_KEYS = {"num_local_experts", "num_experts", "n_routed_experts"};

    private ModelConfigs() {}

    static ModelSpec resolve(String nameOrPath) {
        String wanted = nameOrPath.trim();
        Map<String, String> catalog = catalog();
        String key = wanted.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : catalog.entrySet()) {
            if (e.getKey().equals(key) || e.getValue().toLowerCase(Locale.ROOT).equals(key)) {
                return fromCatalog(e.getKey());
            }
        }
        Path path = Path.of(wanted);
        if (Files.isDirectory(path)) path = path.resolve("config.json");
        if (Files.isRegularFile(path)) return fromFile(path);
        throw new IllegalArgumentException("--model: '" + nameOrPath + "' is neither a catalog model ("
                + String.join(", ", catalog.keySet()) + ") nor a config.json file");
    }

    static ModelSpec fromFile(Path file) {
        try {
            return parse(file.toString(), JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("--model: cannot read '" + file + "' as JSON: " + e.getMessage());
        }
    }

    private static ModelSpec fromCatalog(String name) {
        try (InputStream in = ModelConfigs.class.getResourceAsStream(CATALOG + name + ".json")) {
            return parse(name, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Catalog name → HF id, in catalog order: read once, since every results group key names its model through it. */
    static Map<String, String> catalog() {
        return Catalog.INDEX;
    }

    /** The bundled catalog's index, loaded on first use. */
    private static final class Catalog {
        static final Map<String, String> INDEX = java.util.Collections.unmodifiableMap(readIndex());
    }

    private static Map<String, String> readIndex() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ModelConfigs.class.getResourceAsStream(CATALOG + "index.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && !parts[0].startsWith("#")) out.put(parts[0], parts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static ModelSpec parse(String name, JsonNode c) {
        JsonNode text = c.has("text_config") ? c.get("text_config") : c;
        for (String moe : MOE_KEYS) {
            if (text.path(moe).asInt(0) > 1) {
                throw new IllegalArgumentException("--model: '" + name + "' is a mixture-of-experts model (" + moe
                        + "); that is outside what headroom's model covers (dense decoders only), so it does not guess");
            }
        }
        if (text.has("sliding_window_pattern") || text.path("layer_types").toString().contains("sliding_attention")) {
            throw new IllegalArgumentException("--model: '" + name + "' mixes sliding-window and full-attention layers "
                    + "(several KV cache groups); that is outside what headroom's model covers (uniform attention only), "
                    + "so it does not guess");
        }
        if (text.path("layer_types").toString().matches(".*(linear_attention|mamba|conv).*")
                || text.has("mamba_d_state") || text.has("linear_num_value_heads")) {
            throw new IllegalArgumentException("--model: '" + name + "' is a hybrid model (linear attention or state-space "
                    + "layers); that is outside what headroom's model covers (uniform attention only), so it does not guess");
        }
        int hidden = required(text, "hidden_size");
        int heads = required(text, "num_attention_heads");
        int kvHeads = optional(text, "num_key_value_heads", heads);
        int headDim = optional(text, "head_dim", hidden / heads);
        String type = text.path("model_type").asText(c.path("model_type").asText("unknown"));
        String maxLenKey = "max_position_embeddings";
        int maxLen = Integer.MAX_VALUE;
        for (String k : MAX_LEN_KEYS) {
            if (text.path(k).isNumber() && text.get(k).asInt() < maxLen) {
                maxLen = text.get(k).asInt();
                maxLenKey = k;
            }
        }
        if (maxLen == Integer.MAX_VALUE) throw new IllegalArgumentException("config.json: no max_position_embeddings");
        double ropeFactor = ropeScalingFactor(text.path("rope_scaling"));
        boolean usesWindow = text.path("sliding_window").isNumber() && text.path("use_sliding_window").asBoolean(true);
        double partialRotary = text.path("partial_rotary_factor").asDouble(1.0);
        boolean mla = text.path("kv_lora_rank").isNumber();
        return new ModelSpec(name, type, required(text, "num_hidden_layers"), hidden, heads,
                mla ? 1 : kvHeads, mla ? text.get("kv_lora_rank").asInt() + text.path("qk_rope_head_dim").asInt() : headDim,
                required(text, "intermediate_size"), required(text, "vocab_size"), (int) Math.round(maxLen * ropeFactor),
                maxLenKey, usesWindow ? text.get("sliding_window").asInt() : 0,
                text.path("tie_word_embeddings").asBoolean(c.path("tie_word_embeddings").asBoolean(false)),
                Dtype.fromConfig(text.path("torch_dtype").asText(c.path("torch_dtype").asText(text.path("dtype").asText("bfloat16")))),
                text.path("attention_bias").asBoolean(type.equals("qwen2")),
                type.startsWith("qwen3"),
                Math.round(maxLen * ropeFactor), (int) Math.round(headDim * partialRotary),
                mla ? text.get("kv_lora_rank").asInt() : 0, mla ? text.path("qk_rope_head_dim").asInt() : 0,
                quantization(c.path("quantization_config")));
    }

    /**
     * vLLM multiplies the derived max length by the rope scaling factor except for {@code su}, {@code longrope}
     * and {@code llama3} (vllm/config/model.py _get_and_verify_max_len).
     */
    private static double ropeScalingFactor(JsonNode rope) {
        if (!rope.isObject()) return 1.0;
        String type = rope.path("rope_type").asText(rope.path("type").asText(""));
        if (type.equals("su") || type.equals("longrope") || type.equals("llama3")) return 1.0;
        return rope.path("factor").asDouble(1.0);
    }

    private static Quantization quantization(JsonNode q) {
        if (!q.isObject()) return Quantization.NONE;
        String method = q.path("quant_method").asText("").toLowerCase(Locale.ROOT);
        return switch (method) {
            case "awq" -> new Quantization("awq", q.path("bits").asInt(q.path("w_bit").asInt(4)),
                    q.path("group_size").asInt(q.path("q_group_size").asInt(128)));
            case "gptq" -> new Quantization("gptq", q.path("bits").asInt(4), Math.max(0, q.path("group_size").asInt(128)));
            case "fp8" -> new Quantization("fp8", 8, 0);
            case "bitsandbytes" -> new Quantization("bitsandbytes", 4, q.path("bnb_4bit_blocksize").asInt(64));
            case "compressed-tensors" -> compressedTensors(q);
            default -> new Quantization(method, 16, 0);
        };
    }

    private static Quantization compressedTensors(JsonNode q) {
        JsonNode weights = q.path("config_groups").path("group_0").path("weights");
        String type = weights.path("type").asText("int");
        int bits = weights.path("num_bits").asInt(8);
        if (bits == 4) return new Quantization("gptq", 4, Math.max(0, weights.path("group_size").asInt(128)));
        return new Quantization(type.equals("float") ? "fp8" : "w8a8", 8, 0);
    }

    private static int required(JsonNode c, String key) {
        if (!c.path(key).isNumber()) throw new IllegalArgumentException("config.json: missing or non-numeric '" + key + "'");
        return c.get(key).asInt();
    }

    private static int optional(JsonNode c, String key, int fallback) {
        return c.path(key).isNumber() ? c.get(key).asInt() : fallback;
    }
}
