package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.TestWorkloads;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default calibration against the public vLLM measurements of vllm-internals.md §7.2, run through the offline
 * engine as closed loops (256 or 1024 in, 128 out, ignore_eos; the RTX 4090 source's outputs end at EOS, 100 tokens
 * on average: its output tok/s over its req/s). A published value of 0 means "not published".
 * Tolerance: ±15% on what the point publishes, except the single-stream L4 output rate (±20%): there the
 * published 168 tok/s includes about 110 ms per request spent outside the engine (TTFT 27 ms against a 5.5 ms
 * prefill step, plus the benchmark client's gap between requests), which the engine model does not contain.
 * The RTX 4090 points were not used to choose the defaults: they are an out-of-sample check, run as their vLLM 0.11.0
 * ran them, without async scheduling (the engine core's CPU time adds to each step). Its two highest loads come out
 * 5-7% fast: their streams fall out of step (outputs end at EOS), so prompts prefill beside decodes rather than in the
 * lockstep waves of fixed lengths (docs/fidelity.md, "Where the error comes from"; the held-out corpus evaluation,
 * with the planner's engine, is the judge).
 */
class RooflinePublishedPointsTest {

    private static final RooflineInputs QWEN_05B_L4 =
            new RooflineInputs(0.988e9, 12_288, 24, 896, 14, 64, 0.494e9, 151_936, true, 300e9, 121e12, 2040e6, false, 256, 2048, true,
                    24 * 2 * RooflineInputs.denseLayerActivationElements(896, 896, 128, 4864));
    private static final RooflineInputs LLAMA_8B_A100_40 =
            new RooflineInputs(16.06e9, 131_072, 32, 4096, 32, 128, 8.030e9, 128_256, false, 1555e9, 312e12, 1410e6, false, 256, 2048, true,
                    32 * 2 * RooflineInputs.denseLayerActivationElements(4096, 4096, 1024, 14336));
    private static final RooflineInputs MISTRAL_7B_4090 =
            new RooflineInputs(14.50e9, 131_072, 32, 4096, 32, 128, 7.248e9, 32_768, false, 1008e9, 165e12, 2520e6, false, 256, 2048, false,
                    32 * 2 * RooflineInputs.denseLayerActivationElements(4096, 4096, 1024, 14336));

    @ParameterizedTest(name = "{0} C={1}")
    @CsvSource({
            // name,          C,  in,   out, tpot ms, out tok/s, output tolerance %
            "qwen05b-l4,      1,  256,  128, 5.1,     168,       20",
            "qwen05b-l4,      8,  256,  128, 5.5,     1312,      15",
            "qwen05b-l4,      16, 256,  128, 6.0,     2277,      15",
            "qwen05b-l4,      32, 256,  128, 7.1,     3773,      15",
            "llama8b-a100-40, 1,  1024, 128, 13.3,    75,        15",
            "mistral7b-4090,  4,  256,  100, 0,       210,       15",
            "mistral7b-4090,  8,  256,  100, 0,       377,       15",
            "mistral7b-4090,  16, 256,  100, 0,       644,       15",
            "mistral7b-4090,  32, 256,  100, 0,       975,       15",
            "mistral7b-4090,  48, 256,  100, 0,       1190,      15"})
    void predictionIsCloseToPublished(String name, int concurrency, int inputTokens, int outputTokens,
                                      double publishedTpotMs, double publishedOutput, double outputTolerancePercent) {
        RooflineInputs inputs = switch (name) {
            case "qwen05b-l4" -> QWEN_05B_L4;
            case "llama8b-a100-40" -> LLAMA_8B_A100_40;
            default -> MISTRAL_7B_4090;
        };
        EngineConfig config = new EngineConfig(20_000, 16, 256, 2048, 8192, true, true, 0, 151_936);
        List<RequestRecord> records = OfflineRunner.run(config, new Roofline(inputs, RooflineCalibration.DEFAULTS),
                TestWorkloads.random(Math.max(40, 10 * concurrency), inputTokens, outputTokens, 7),
                LoadPattern.closedLoop(concurrency), null,
                new OfflineRunner.Options(dev.headroom.engine.PromptFormat.COMPLETIONS, true, 0)).records();
        double tpot = TestWorkloads.medianTpotMs(records);
        double output = TestWorkloads.outputThroughput(records);
        System.out.printf(Locale.ROOT, "%-16s C=%-3d median TPOT %6.2f ms (published %5.1f, %+5.1f%%)  "
                        + "output %7.0f tok/s (published %5.0f, %+5.1f%%)%n", name, concurrency, tpot,
                publishedTpotMs, err(tpot, publishedTpotMs), output, publishedOutput, err(output, publishedOutput));
        if (publishedTpotMs > 0) assertThat(Math.abs(err(tpot, publishedTpotMs))).isLessThan(15);
        assertThat(Math.abs(err(output, publishedOutput))).isLessThan(outputTolerancePercent);
    }

    private static double err(double predicted, double published) {
        return published == 0 ? 0 : 100 * (predicted - published) / published;
    }
}
