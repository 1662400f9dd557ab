package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.VllmVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseTest {

    @ParameterizedTest(name = "{0} {1}: {3} B per logit, runner {2}")
    @CsvSource({
            "0.6.3, llama-3.1-8b-instruct, V0, 38",
            "0.8.5, llama-3.1-8b-instruct, V1, 14",
            "0.9.2, llama-3.1-8b-instruct, V1, 14",
            "0.10.1, llama-3.1-8b-instruct, V1, 14",
            "0.10.2, llama-3.1-8b-instruct, V1, 14",
            "0.11.1, llama-3.1-8b-instruct, V1, 38",
            "0.17.1, llama-3.1-8b-instruct, V1, 38",
            "0.18.0, llama-3.1-8b-instruct, V1, 14",
            "0.22.1, llama-3.1-8b-instruct, V1, 14",
            "0.22.1, qwen3-8b, V2, 6",
            "0.25.0, llama-3.1-8b-instruct, V2, 6",
            "0.28.0, qwen2.5-0.5b-instruct, V2, 2"})
    void samplerBytesPerLogitFollowTheRelease(String version, String model, Release.ModelRunner runner, int bytes) {
        var s = setup(model, Gpu.H100, version, 0.9, 4096);
        assertThat(Release.modelRunner(s)).isEqualTo(runner);
        assertThat(Release.samplerBytesPerLogit(s)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} on {1}: FlashInfer sampler {2}")
    @CsvSource({"0.11.0, H100, true", "0.11.0, A10G, true", "0.11.0, T4, false", "0.11.0, RTX3090, false",
            "0.10.1, L40S, true", "0.10.1, RTX4090, false", "0.11.1, H100, false", "0.7.3, H100, false"})
    void flashInferSamplesWhereTheImageRunsBefore0111(String version, Gpu gpu, boolean flashInfer) {
        var s = setup("qwen2.5-1.5b-instruct", gpu, version, 0.9, 4096);
        assertThat(Release.flashInferSampler(s)).isEqualTo(flashInfer);
        assertThat(Release.samplerBytesPerLogit(s)).isEqualTo(s.serve().dtype().bytes() + 4 + (flashInfer ? 8 : 32));
    }

    @ParameterizedTest
    @CsvSource({"0.20.2, false", "0.21.0, true", "0.28.0, true"})
    void cudaGraphsComeOffTheBudgetFrom021(String version, boolean inBudget) {
        assertThat(Release.cudaGraphsInBudget(VllmVersion.parse(version))).isEqualTo(inBudget);
        var s = setup("llama-3.1-8b-instruct", Gpu.H100, version, 0.9, 8192);
        MemoryPlan p = Planner.plan(s);
        double rest = p.requestedGib() - p.weightsGib() - p.activationPeakGib() - p.nonTorchGib() - p.kvCacheGib();
        assertThat(rest).isCloseTo(inBudget ? p.cudaGraphGib() : 0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @ParameterizedTest
    @CsvSource({"0.4.2, TOTAL_USED", "0.5.4, INIT_FREE", "0.6.3, INIT_FREE", "0.6.4, ABSOLUTE_NON_TORCH",
            "0.6.5, BASELINE", "0.8.5, ABSOLUTE_NON_TORCH", "0.9.1, ABSOLUTE_NON_TORCH", "0.9.2, BASELINE",
            "0.25.1, BASELINE", "0.26.0, CONSUMED"})
    void nonKvAccountingByRelease(String version, Release.NonKvAccounting accounting) {
        assertThat(Release.accounting(VllmVersion.parse(version))).isEqualTo(accounting);
    }

    @ParameterizedTest
    @CsvSource({"0.6.4, 0.50", "0.6.5, 0.07"})
    void v064LogsNonTorchAsAnAbsoluteFigure(String version, double nonTorchGib) {
        MemoryPlan p = Planner.plan(setup("qwen2.5-7b-instruct", Gpu.RTX3090, version, 0.9, 4096));
        assertThat(p.nonTorchGib()).isCloseTo(nonTorchGib, org.assertj.core.data.Offset.offset(0.02));
    }

    @ParameterizedTest
    @CsvSource({"0.17.1, 0", "0.18.0, 1"})
    void tritonBufferHasOneRowPerSmFrom018(String version, int rows) {
        var s = setup("llama-3.1-8b-instruct", Gpu.H100, version, 0.9, 4096);
        assertThat(Release.tritonBufferBytes(s)).isEqualTo(rows * 132L * 128256 * 4);
    }

    /**
     * GPUStack's LMCache study (docs/performance-lab, vLLM v0.10.1.1, "vllm serve Qwen/Qwen3-8B" on an RTX 4090 24GB,
     * bf16 by default) served 20K-token prompts. At Qwen3-8B's default 40,960-token context one request needs
     * 2560 blocks of 2.25 MiB = 5.625 GiB, while 0.9 x 23.64 GiB less 15.27 GiB of weights leaves 6.01 GiB for
     * everything else: the profile's sampler over 256 rows of 151,936 logits alone takes 0.51 GiB even on
     * FlashInfer's path (14 B per logit, the least any 0.10.1.1 path allocates: bf16 logits, their fp32 copy, the
     * top-k-masked logits and softmax probabilities). vLLM's check_enough_kv_cache_memory refuses whichever sampler
     * ran, so the page's runs carried an unprinted --max-model-len; at 32768 the same start-up fits.
     */
    @Test
    void qwen3EightBAtItsFullContextDoesNotFitA4090In0101WhateverTheSampler() {
        var wheel = setup("qwen3-8b", Gpu.RTX4090, "0.10.1.1", 0.9, null);
        assertThat(wheel.serve().maxModelLen()).isEqualTo(40960);
        MemoryPlan plan = Planner.plan(wheel);
        assertThat(plan.fits()).isFalse();
        long logits = Release.rows(wheel.serve()) * wheel.model().paddedVocabSize();
        double flashInferSavingGib = (double) (ProfileRun.NATIVE_TOP_K_TOP_P_BYTES
                - ProfileRun.FLASHINFER_TOP_K_TOP_P_BYTES) * logits / (1L << 30);
        double neededGib = KvCacheLayout.of(wheel).bytesPerRequest(40960, wheel.serve().maxNumBatchedTokens())
                / (double) (1L << 30);
        assertThat(neededGib).isEqualTo(5.625);
        assertThat(plan.kvCacheGib() + flashInferSavingGib).isLessThan(neededGib);
        assertThat(Planner.plan(setup("qwen3-8b", Gpu.RTX4090, "0.10.1.1", 0.9, 32768)).fits()).isTrue();
    }

    /**
     * Before 0.11.1 a derived plan cannot know the install, so its KV band carries the sampler's spread: a uv install
     * of 0.9.2 without FlashInfer on an A100-40GB logged "GPU KV cache size: 136,080 tokens" for Qwen3-8B at vLLM's
     * defaults (dariustanrd/tokenkaki), 4.8% below the image's prediction and inside its band; from 0.11.1 the
     * sampler no longer follows the install and the band is the corpus's.
     */
    @Test
    void beforeVllm0111TheKvBandCarriesWhatTheInstallMoves() {
        var uv = setup("qwen3-8b", Gpu.A100_40GB, "0.9.2", 0.9, null);
        MemoryPlan plan = Planner.plan(uv);
        long logits = Release.rows(uv.serve()) * uv.model().paddedVocabSize();
        double spreadGib = (double) (ProfileRun.NATIVE_TOP_K_TOP_P_BYTES - ProfileRun.FLASHINFER_TOP_K_TOP_P_BYTES)
                * logits / (1L << 30);
        assertThat(Release.installSpreadBytes(uv)).isEqualTo((long) (ProfileRun.NATIVE_TOP_K_TOP_P_BYTES
                - ProfileRun.FLASHINFER_TOP_K_TOP_P_BYTES) * logits);
        assertThat(plan.kvBandPercent()).isCloseTo(MemoryPlan.DERIVED_KV_BAND_PERCENT
                + 100 * spreadGib / plan.kvCacheGib(), within(1e-9));
        assertThat(136_080.0).isBetween(plan.kvCacheTokens() * (1 - plan.kvBandPercent() / 100),
                plan.kvCacheTokens() * (1 + plan.kvBandPercent() / 100));
        assertThat(Planner.plan(setup("qwen3-8b", Gpu.A100_40GB, "0.11.1", 0.9, null)).kvBandPercent())
                .isEqualTo(MemoryPlan.DERIVED_KV_BAND_PERCENT);
    }
}
