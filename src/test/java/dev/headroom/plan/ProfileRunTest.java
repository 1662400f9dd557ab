package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.Quantization;
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

    /**
     * vllm#10517 (RTX 3090, vLLM 0.6.4, Llama-3.1-8B, no chunked prefill below 32K, so the profile's forward runs
     * max_model_len tokens at once): "peak_torch_memory=17.06GiB" at max_model_len 20000 and 17.98 at 29000, each
     * holding the 14.99 GiB of weights. V0 profiles eager PyTorch, where down_proj's [tokens, hidden] output is
     * allocated while the MLP's input, gate_up and SiluAndMul's output are alive: without it the peak is 0.15 and
     * 0.22 GiB short.
     */
    @Test
    void eagerForwardPeakMatchesTheLoggedTorchPeakOfALongPrefill() {
        double weightsGib = 14.9888;
        assertThat(activationGib(setup("llama-3.1-8b-instruct", Gpu.RTX3090, "0.6.4", 0.9, 20000)))
                .isCloseTo(17.06 - weightsGib, within(0.015));
        assertThat(activationGib(setup("llama-3.1-8b-instruct", Gpu.RTX3090, "0.6.4", 0.9, 29000)))
                .isCloseTo(17.98 - weightsGib, within(0.015));
    }

    /** V1 compiles the forward pass (torch.compile frees each tensor at its last use); --enforce-eager does not. */
    @Test
    void onlyAnEagerForwardHoldsTheDownProjectionOutput() {
        ServingSetup compiled = setup("llama-3.1-8b-instruct", Gpu.H100, "0.10.1", 0.9, 32768);
        ServingSetup eager = setup("llama-3.1-8b-instruct", Gpu.H100, "0.10.1",
                new ServeFlags(null, 0.9, 32768, null, null, null, null, null, null, null, true, null, null, null));
        long tokens = compiled.serve().maxNumBatchedTokens();
        long extra = tokens * compiled.model().hiddenSize() * compiled.serve().dtype().bytes();
        assertThat(ProfileRun.of(eager).forwardPeakBytes() - ProfileRun.of(compiled).forwardPeakBytes()).isEqualTo(extra);
    }

    private static double activationGib(ServingSetup s) {
        return ProfileRun.of(s).peakBytes() / (double) (1L << 30);
    }

    /**
     * Where Marlin cannot run (a T4 before vLLM 0.14), AWQ's own kernel dequantizes each weight before its matmul
     * once a call has 256 tokens (awq.py FP16_MATMUL_HEURISTIC_CONDITION): the profile's widest point becomes
     * gate_up_proj holding its fp16 weight [4096, 24576] and its output [2048, 24576] beside the residual stream.
     * Marlin (an A100, or a T4 from 0.14) reads the packed weight in place.
     */
    @Test
    void awqOwnKernelHoldsTheDequantizedWeightInTheProfile() {
        long residual = 2L * 2048 * 4096 * 2;
        long gateUpDequantized = 2048L * 24576 * 2 + 4096L * 24576 * 2;
        long mlpInPlace = 3L * 2048 * 12288 * 2;
        ServingSetup t4 = setup("qwen3-8b-awq", Gpu.T4, "0.10.1", 0.9, 4096);
        assertThat(t4.serve().maxNumBatchedTokens()).isEqualTo(2048);
        assertThat(ProfileRun.of(t4).forwardPeakBytes()).isEqualTo(residual + gateUpDequantized);
        assertThat(ProfileRun.of(setup("qwen3-8b-awq", Gpu.T4, "0.14.0", 0.9, 4096)).forwardPeakBytes())
                .isEqualTo(residual + mlpInPlace);
        assertThat(ProfileRun.of(setup("qwen3-8b-awq", Gpu.A100_40GB, "0.10.1", 0.9, 4096)).forwardPeakBytes())
                .isEqualTo(residual + mlpInPlace);
    }

    /**
     * AWQ's kernel dequantizes only from 256 tokens a call; GPTQ's gptq_gemm allocates its temp_dq weight on every
     * call (csrc/quantization/gptq/q_gemm.cu), so a 128-token profile still holds it.
     */
    @Test
    void gptqExllamaKernelDequantizesAtAnyBatchAwqOnlyFrom256Tokens() {
        ServingSetup awq = setup("qwen3-8b-awq", Gpu.T4, "0.10.1", PlanFixtures.flags(0.9, 4096, 128, 128, null, null));
        ServingSetup gptq = new ServingSetup(awq.model().withQuantization(new Quantization("gptq", 4, 128)), awq.gpu(),
                awq.serve());
        assertThat(ProfileRun.dequantizes(awq)).isFalse();
        assertThat(ProfileRun.dequantizes(gptq)).isTrue();
        assertThat(ProfileRun.of(gptq).forwardPeakBytes()).isGreaterThan(ProfileRun.of(awq).forwardPeakBytes());
    }

    /**
     * bitsandbytes dequantizes shard by shard into a preallocated output (vLLM's _apply_bnb_4bit, bitsandbytes'
     * MatMul4Bit.forward): for Qwen3-8B at 2048 tokens down_proj is the widest point, gate_up's output and SiluAndMul's
     * beside the fp16 [12288, 4096] weight, its product and the output it is copied into.
     */
    @Test
    void bitsandbytesHoldsOneDequantizedShardBesideTheMergedOutput() {
        ServingSetup awqA100 = setup("qwen3-8b-awq", Gpu.A100_40GB, "0.10.1", 0.9, 4096);
        ServingSetup nf4 = new ServingSetup(awqA100.model().withQuantization(new Quantization("bitsandbytes", 4, 64)),
                awqA100.gpu(), awqA100.serve());
        long residual = 2L * 2048 * 4096 * 2;
        long down = 3L * 2048 * 12288 * 2 + 12288L * 4096 * 2 + 2L * 2048 * 4096 * 2;
        assertThat(ProfileRun.dequantizes(nf4)).isFalse();
        assertThat(ProfileRun.of(nf4).forwardPeakBytes()).isEqualTo(residual + down);
    }
}
