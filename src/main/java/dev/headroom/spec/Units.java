package dev.headroom.spec;

/** Byte units as vLLM uses them: {@code GiB_bytes = 1 << 30}. */
public final class Units {
    /** Bytes in one GiB (vllm/utils: {@code GiB_bytes}). */
    public static final long GIB = 1L << 30;

    private Units() {}

    /** Bytes to GiB. */
    public static double gib(double bytes) {
        return bytes / GIB;
    }
}
