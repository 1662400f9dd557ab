package dev.headroom.spec;

/**
 * What a real start-up measured beyond headroom's derivation of each non-KV term, in bytes ({@code measured −
 * derived} at the logged configuration). The planner adds them to its derived terms, so a configuration planned
 * from a log starts from the measured terms and moves only by what the change of flags changes.
 */
public record TermOffsets(long weightsBytes, long activationBytes, long nonTorchBytes, long cudaGraphBytes) {

    /** No measurement: every term as derived. */
    public static final TermOffsets NONE = new TermOffsets(0, 0, 0, 0);
}
