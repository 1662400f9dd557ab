package dev.headroom.plan;

/**
 * What one engine step computes, summed over the requests it schedules: the inputs of a step-cost model.
 *
 * @param numSeqs            requests scheduled in the step
 * @param numTokens          tokens scheduled (the forward pass's batch size in tokens), at most the token budget
 * @param kvContextTokens    Σ over requests of the context each attends to (computed + new tokens): KV bytes read
 * @param attentionPairs     Σ over requests of new·(computed + new/2): query–key pairs of causal attention
 * @param decodeOnly         every scheduled request computes exactly one token (a uniform decode batch)
 */
public record StepWork(int numSeqs, int numTokens, long kvContextTokens, double attentionPairs, boolean decodeOnly) {

    public StepWork {
        if (numSeqs < 1 || numTokens < numSeqs) {
            throw new IllegalArgumentException("a step needs numTokens >= numSeqs >= 1, was " + numTokens + ", " + numSeqs);
        }
    }
}
