package dev.headroom.engine;

/**
 * One request inside the engine ({@code vllm/v1/request.py Request}): its tokens, how many have KV computed,
 * the KV blocks it owns and the chained hashes of its full blocks.
 *
 * <p>Output tokens are not stored: the {@code i}-th one is a pure function of the prompt
 * ({@link SimTokenizer#outputTokenId}), so only counts and hashes are kept.
 */
final class RequestState {

    /** vLLM's {@code RequestStatus}, reduced to what the scheduler distinguishes. */
    enum Status { WAITING, RUNNING, PREEMPTED, FINISHED }

    /** Seed of every request's first block hash (vLLM's {@code NONE_HASH}). */
    private static final long NONE_HASH = 0x5bd1e9955bd1e995L;

    final String requestId;
    final int index;
    final TokenSink sink;
    final int[] promptTokenIds;
    final int maxTokens;
    final int minTokens;
    final boolean ignoreEos;
    /** When the engine core received it (vLLM's {@code QUEUED}). */
    final long arrivalNanos;
    /** When the API server took it (vLLM's {@code arrival_time}); the engine core's arrival with no API server. */
    long apiArrivalNanos;
    private final int blockSize;
    private final long outputSeed;
    private final int naturalOutputTokens;

    Status status = Status.WAITING;
    int numTokens;
    int numOutputTokens;
    int numComputedTokens;
    int numCachedTokens;
    int numPreemptions;
    long scheduledNanos = -1;
    long firstTokenNanos = -1;

    private final int[] blocks;
    private int numBlocks;
    int numCachedBlocks;
    private final long[] blockHashes;
    private int numBlockHashes;
    private long partialHash;
    private int tokensInPartialBlock;

    RequestState(EngineRequest request, int index, TokenSink sink, long arrivalNanos, EngineConfig config) {
        this.requestId = request.requestId();
        this.index = index;
        this.sink = sink;
        this.promptTokenIds = request.promptTokenIds();
        this.maxTokens = request.maxTokens();
        this.minTokens = request.minTokens();
        this.ignoreEos = request.ignoreEos();
        this.arrivalNanos = arrivalNanos;
        this.apiArrivalNanos = arrivalNanos;
        this.blockSize = config.blockSize();
        long maxLen = Math.min((long) promptTokenIds.length + maxTokens, config.maxModelLen() + 1L);
        int maxBlocks = (int) Math.ceilDiv(maxLen, blockSize) + 1;
        this.blocks = new int[maxBlocks];
        this.blockHashes = new long[maxBlocks];
        this.partialHash = startBlock(NONE_HASH);
        for (int id : promptTokenIds) feedHash(id);
        this.numTokens = promptTokenIds.length;
        this.outputSeed = SimTokenizer.seedOf(promptTokenIds);
        this.naturalOutputTokens = ignoreEos ? Integer.MAX_VALUE : SimTokenizer.naturalOutputTokens(outputSeed, minTokens);
    }

    int numPromptTokens() {
        return promptTokenIds.length;
    }

    /** The id of the next output token: EOS at the natural length unless {@code ignore_eos}. */
    int nextOutputTokenId(SimTokenizer tokenizer) {
        if (numOutputTokens + 1 == naturalOutputTokens) return tokenizer.eosTokenId();
        return tokenizer.outputTokenId(outputSeed, numOutputTokens);
    }

    /** Appends a sampled token: one more token, hashed into the current block. */
    void appendOutputToken(int tokenId) {
        numTokens++;
        numOutputTokens++;
        feedHash(tokenId);
    }

    /** Chained hash of full block {@code i}; {@code i < numFullBlockHashes()}. */
    long blockHash(int i) {
        return blockHashes[i];
    }

    int numFullBlockHashes() {
        return numBlockHashes;
    }

    int block(int i) {
        return blocks[i];
    }

    int numBlocks() {
        return numBlocks;
    }

    void addBlock(int block) {
        blocks[numBlocks++] = block;
    }

    void clearBlocks() {
        numBlocks = 0;
        numCachedBlocks = 0;
    }

    boolean wasPreempted() {
        return numPreemptions > 0;
    }

    boolean isPrefillComplete() {
        return numComputedTokens >= numTokens;
    }

    // vllm/v1/core/kv_cache_utils.py hash_block_tokens: hash((parent_block_hash, tuple(block_tokens), extra_keys)),
    // here a 64-bit mix computed token by token; a block's hash is final when its last token arrives.
    private void feedHash(int tokenId) {
        partialHash = mix(partialHash ^ (tokenId * 0x9E3779B97F4A7C15L));
        if (++tokensInPartialBlock == blockSize) {
            long hash = mix(partialHash + blockSize);
            blockHashes[numBlockHashes++] = hash;
            partialHash = startBlock(hash);
        }
    }

    private long startBlock(long parentHash) {
        tokensInPartialBlock = 0;
        return mix(parentHash ^ 0xC2B2AE3D27D4EB4FL);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
