package dev.headroom.spec;

import java.util.Locale;

/** A tensor dtype vLLM's {@code --dtype} can select, with its width and torch name. */
public enum Dtype {
    FLOAT16(2, "torch.float16"),
    BFLOAT16(2, "torch.bfloat16"),
    FLOAT32(4, "torch.float32");

    private final int bytes;
    private final String torchName;

    Dtype(int bytes, String torchName) {
        this.bytes = bytes;
        this.torchName = torchName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name vLLM prints, e.g. {@code torch.bfloat16}. */
    public String torchName() {
        return torchName;
    }

    /** Parses a config.json {@code torch_dtype} ({@code bfloat16}, {@code float16}, {@code float32}). */
    public static Dtype fromConfig(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "bfloat16", "bf16" -> BFLOAT16;
            case "float16", "half", "fp16" -> FLOAT16;
            case "float32", "float", "fp32" -> FLOAT32;
            default -> throw new IllegalArgumentException("torch_dtype: unsupported '" + text
                    + "'; expected bfloat16, float16 or float32");
        };
    }
}
