package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServingSetup;
import org.junit.jupiter.api.Test;

class ProfileRunTest {

    /**
     * The dummy sampler run sorts [max_num_seqs, vocab] logits with PyTorch unless FlashInfer's sampler runs, which
     * before vLLM PR #26859 (0.11.1) it does wherever FlashInfer is installed: in the image that datacenter cards
     * run, not in the pip wheel that GeForce and Turing cards run. The difference is 24 bytes per logit.
     */
    @Test
    void samplerPeakFollowsTheInstalledSamplerAcrossVersionsAndGpus() {
        ServingSetup image = setup("qwen2.5-1.5b-instruct", Gpu.A10G, "0.11.0", 0.8, 4096);
        ServingSetup imageEarlier = setup("qwen2.5-1.5b-instruct", Gpu.A10G, "0.10.1", 0.8, 4096);
        ServingSetup disabledAgain = setup("qwen2.5-1.5b-instruct", Gpu.A10G, "0.11.1", 0.8, 4096);
        ServingSetup wheel = setup("qwen2.5-1.5b-instruct", Gpu.RTX3090, "0.11.0", 0.8, 4096);
        ServingSetup turing = setup("qwen2.5-1.5b-instruct", Gpu.T4, "0.11.0", 0.8, 4096);
        long rows = Math.min(image.serve().maxNumSeqs(), image.serve().maxNumBatchedTokens());
        long logits = rows * image.model().paddedVocabSize();
        long flashInferBytes = ProfileRun.of(image).samplerPeakBytes();
        assertThat(ProfileRun.of(imageEarlier).samplerPeakBytes()).isEqualTo(flashInferBytes);
        assertThat(ProfileRun.of(disabledAgain).samplerPeakBytes() - flashInferBytes).isEqualTo(24 * logits);
        assertThat(ProfileRun.of(wheel).samplerPeakBytes() - flashInferBytes).isEqualTo(24 * logits);
        // The T4 runs fp16 like the others here (the A10G and the 3090 are bf16: the same 2 bytes per logit).
        assertThat(ProfileRun.of(turing).samplerPeakBytes() - flashInferBytes).isEqualTo(24 * logits);
    }
}
