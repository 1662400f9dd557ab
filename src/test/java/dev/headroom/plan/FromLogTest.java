package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FromLogTest {

    static String fixture(String name) {
        try (InputStream in = FromLogTest.class.getResourceAsStream("/dev/headroom/plan/logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServeFlags change(Double util, Integer maxModelLen, Integer maxNumSeqs, String kvCacheDtype) {
        return new ServeFlags(null, util, maxModelLen, maxNumSeqs, null, null, null, null, kvCacheDtype, null, null,
                null, null);
    }

    @Test
    void v1LogIsReadTermByTermAndItsOwnTokensAreReproduced() {
        StartupLog log = StartupLog.parse(fixture("v1-0.15.1-llama8b-a100-eager.log"));
        assertThat(log.version().toString()).isEqualTo("0.15.1");
        assertThat(log.model()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(log.flags().enforceEager()).isTrue();
        assertThat(log.flags().maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(log.flags().maxModelLen()).isEqualTo(131072);
        assertThat(log.weightsGib()).isEqualTo(14.99);
        assertThat(log.kvCacheGib()).isEqualTo(19.28);
        assertThat(log.kvTokens()).isEqualTo(157_936);
        assertThat(log.totalGib()).isNull();

        FromLog fl = FromLog.of(log, null, Gpu.A100_40GB, null);
        assertThat(fl.reproducesLoggedTokens()).isTrue();
        assertThat(fl.measured().kvCacheGib()).isCloseTo(19.28, within(0.005));
        assertThat(fl.measured().kvCacheTokens()).isEqualTo(157_936);
        long[] range = fl.kvTokensWithinRounding();
        assertThat(fl.measured().kvCacheTokens()).isBetween(range[0], range[1]);
        assertThat(fl.derived().kvCacheTokens()).as("derived from scratch").isCloseTo(157_936L, within(157_936L * 3 / 100));
    }

    @Test
    void otherConfigurationsStartFromTheMeasuredTerms() {
        FromLog fl = FromLog.of(StartupLog.parse(fixture("v1-0.15.1-llama8b-a100-eager.log")), null, Gpu.A100_40GB, null);
        MemoryPlan shorter = Planner.plan(fl.other(change(null, 32768, null, null)));
        assertThat(shorter.kvCacheGib()).as("max_model_len leaves the non-KV terms").isCloseTo(fl.measured().kvCacheGib(), within(1e-6));
        MemoryPlan lower = Planner.plan(fl.other(change(0.8, null, null, null)));
        assertThat(lower.kvCacheGib()).isCloseTo(fl.measured().kvCacheGib() - 0.1 * 39.39, within(1e-6));
        MemoryPlan fp8 = Planner.plan(fl.other(change(null, null, null, "fp8")));
        assertThat((double) fp8.kvCacheTokens()).isCloseTo(2.0 * fl.measured().kvCacheTokens(), within(32.0));
        var fewer = fl.other(change(null, null, 64, null));
        double saved = (ProfileRun.of(fl.setup()).peakBytes() - ProfileRun.of(fewer).peakBytes()) / (double) (1L << 30);
        assertThat(saved).as("the dummy sampler shrinks with the rows").isGreaterThan(0.2);
        assertThat(Planner.plan(fewer).kvCacheGib() - fl.measured().kvCacheGib()).isCloseTo(saved, within(1e-6));
    }

    @Test
    void v0LogWithItsErrorIsReproduced() {
        StartupLog log = StartupLog.parse(fixture("v0-0.7.3-llama8b-l4.log"));
        assertThat(log.version().toString()).isEqualTo("0.7.3");
        assertThat(log.totalGib()).isEqualTo(22.07);
        assertThat(log.utilization()).isEqualTo(0.9);
        assertThat(log.activationGib()).isEqualTo(0.22);
        assertThat(log.nonTorchGib()).isEqualTo(0.05);
        assertThat(log.kvTokens()).isEqualTo(2356L * 16);
        FromLog fl = FromLog.of(log, null, null, null);
        assertThat(fl.setup().gpu().gpu()).isEqualTo(Gpu.L4);
        assertThat(fl.reproducesLoggedTokens()).isTrue();
        assertThat(fl.measured().error()).isEqualTo("The model's max seq len (131072) is larger than the maximum number "
                + "of tokens that can be stored in KV cache (37696). Try increasing `gpu_memory_utilization` or "
                + "decreasing `max_model_len` when initializing the engine.");
        // V0 without chunked prefill (context <= 32K) profiles a whole max_model_len prompt: 16K fits, 32K does not.
        assertThat(Planner.plan(fl.other(change(null, 16384, null, null))).fits()).isTrue();
        assertThat(Planner.plan(fl.other(change(null, 32768, null, null))).fits()).isFalse();
    }

    /**
     * vLLM 0.10.1.1 on an A100 80GB at utilization 0.25, installed with flashinfer-python
     * (https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-7B-1gpuA10080GB-0.25GRAM.log, trimmed):
     * the profile samples with FlashInfer, so the 5.01 GiB of KV cache is derived within 3%; the PyTorch sort
     * (38 B per logit) would leave 0.87 GiB less, 17% under.
     */
    @Test
    void lowUtilizationOn0101IsDerivedWithTheFlashInferSampler() {
        StartupLog log = StartupLog.parse(fixture("v1-0.10.1-qwen7b-a100-u025.log"));
        assertThat(log.utilization()).isEqualTo(0.25);
        assertThat(log.kvTokens()).isEqualTo(93_872L);
        FromLog fl = FromLog.of(log, "qwen2.5-7b-instruct", Gpu.A100_80GB, null);
        assertThat(Release.flashInferSampler(fl.setup())).isTrue();
        assertThat(fl.reproducesLoggedTokens()).isTrue();
        assertThat(fl.derived().kvCacheGib()).isCloseTo(5.01, within(0.05));
        assertThat((double) fl.derived().kvCacheTokens()).isCloseTo(93_872, withinPercentage(3));
    }

    @Test
    void mrv2MainLogReproducesItsTokens() {
        FromLog fl = FromLog.of(StartupLog.parse(fixture("v1-0.28.0-qwen05b-l4-mrv2.log")), null, Gpu.L4, null);
        assertThat(fl.setup().serve().maxNumSeqs()).isEqualTo(256);
        assertThat(fl.setup().serve().gpuMemoryUtilization()).isEqualTo(0.98);
        assertThat(Release.modelRunner(fl.setup())).isEqualTo(Release.ModelRunner.V2);
        assertThat(fl.reproducesLoggedTokens()).isTrue();
    }

    @Test
    void whatTheLogLacksIsAskedForInOneLine() {
        StartupLog log = StartupLog.parse(fixture("v1-0.15.1-llama8b-a100-eager.log"));
        assertThatThrownBy(() -> FromLog.of(log, null, null, null)).hasMessageContaining("--gpu");
        assertThatThrownBy(() -> StartupLog.parse("hello\nworld")).hasMessageStartingWith("--from-log: no vLLM version");
        String local = fixture("v1-0.15.1-llama8b-a100-eager.log").replace("meta-llama/Llama-3.1-8B-Instruct", "/m/x");
        assertThatThrownBy(() -> FromLog.of(StartupLog.parse(local), null, Gpu.A100_40GB, null))
                .hasMessageContaining("give --model");
        assertThat(FromLog.of(StartupLog.parse(local), "llama-3.1-8b-instruct", Gpu.A100_40GB, null)
                .reproducesLoggedTokens()).isTrue();
    }

    @Test
    void v064LogsAnAbsoluteNonTorchFigureAndPeakWithWeights() {
        StartupLog log = StartupLog.parse("INFO 11-20 10:00:00 llm_engine.py:249] Initializing an LLM engine (v0.6.4.post1) "
                + "with config: model='Qwen/Qwen2.5-7B-Instruct', dtype=torch.bfloat16, max_seq_len=4096, "
                + "tensor_parallel_size=1, quantization=None, enforce_eager=False, kv_cache_dtype=auto\n"
                + "INFO 11-20 10:00:09 model_runner.py:1077] Loading model weights took 14.2487 GB\n"
                + "INFO 11-20 10:00:10 worker.py:232] Memory profiling results: total_gpu_memory=23.57GiB "
                + "initial_memory_usage=14.89GiB peak_torch_memory=15.63GiB memory_usage_post_profile=15.26GiB "
                + "non_torch_memory=0.35GiB kv_cache_size=5.23GiB gpu_memory_utilization=0.90\n");
        assertThat(log.version().toString()).isEqualTo("0.6.4");
        assertThat(log.totalGib()).isEqualTo(23.57);
        assertThat(log.nonTorchGib()).isEqualTo(0.35);
        assertThat(log.activationGib()).isCloseTo(15.63 - 14.2487, within(1e-9));
        assertThat(log.kvCacheGib()).isEqualTo(5.23);
        assertThat(log.utilization()).isEqualTo(0.9);
    }

    @Test
    void aSpeculativeServerIsOutsideTheModel() {
        String spec = fixture("v1-0.15.1-llama8b-a100-eager.log").replace("speculative_config=None",
                "speculative_config=SpeculativeConfig(method='eagle3', num_spec_tokens=3)");
        assertThatThrownBy(() -> StartupLog.parse(spec)).hasMessageContaining("outside what headroom's model covers");
    }

    @Test
    void measuredPlansCarryTheBandOfTheLoggedRounding() {
        FromLog fl = FromLog.of(StartupLog.parse(fixture("v1-0.15.1-llama8b-a100-eager.log")), null, Gpu.A100_40GB, null);
        assertThat(fl.derived().kvBandPercent()).isEqualTo(MemoryPlan.DERIVED_KV_BAND_PERCENT);
        assertThat(fl.measured().kvBandPercent()).isCloseTo(100 * 0.005 / 19.28, within(1e-3));
    }
}
