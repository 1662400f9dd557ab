package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServingSetup;
import org.junit.jupiter.api.Test;

class ProfileRunTest {

    /**
     * The dummy sampler run sorts [max_num_seqs, vocab] logits with PyTorch unless FlashInfer's sampler is the
     * default, which it was from 0.10.2 until vLLM PR #26859 (0.11.1): the difference is 24 bytes per logit.
     */
    @Test
    void samplerPeakFollowsTheFlashInferDefaultAcrossVersions() {
        ServingSetup beforeFlashInfer = setup("qwen2.5-1.5b-instruct", Gpu.T4, "0.10.1", 0.8, 4096);
        ServingSetup flashInfer = setup("qwen2.5-1.5b-instruct", Gpu.T4, "0.11.0", 0.8, 4096);
        ServingSetup disabledAgain = setup("qwen2.5-1.5b-instruct", Gpu.T4, "0.11.1", 0.8, 4096);
        long rows = Math.min(flashInfer.serve().maxNumSeqs(), flashInfer.serve().maxNumBatchedTokens());
        long logits = rows * flashInfer.model().paddedVocabSize();
        long flashInferBytes = ProfileRun.of(flashInfer).samplerPeakBytes();
        assertThat(ProfileRun.of(disabledAgain).samplerPeakBytes() - flashInferBytes).isEqualTo(24 * logits);
        assertThat(ProfileRun.of(beforeFlashInfer).samplerPeakBytes() - flashInferBytes).isEqualTo(24 * logits);
    }
}
