package dev.headroom.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** HF config.json files for architectures the bundled catalog does not hold, written where a test asks. */
public final class ModelConfigFixtures {

    private ModelConfigFixtures() {}

    /** A DeepSeek-V2-Lite-shaped MLA model (kv_lora_rank 512 + qk_rope_head_dim 64 = one 576-wide latent head). */
    public static Path deepseekV2Mla(Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "deepseek_v2", "hidden_size": 2048, "num_attention_heads": 16, "num_key_value_heads": 16,
                 "num_hidden_layers": 27, "intermediate_size": 10944, "vocab_size": 102400,
                 "max_position_embeddings": 163840, "kv_lora_rank": 512, "qk_rope_head_dim": 64}""");
        return config;
    }
}
