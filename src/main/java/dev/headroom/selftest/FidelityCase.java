package dev.headroom.selftest;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmArgs;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One public data point of the regression corpus ({@code fidelity-corpus.csv}): a real vLLM start-up's KV
 * capacity or a real benchmark's time per output token, with the configuration that produced it and its source.
 *
 * @param id        short name
 * @param kind      what was measured
 * @param version   vLLM release
 * @param gpu       the GPU
 * @param model     catalog model
 * @param vllmArgs  the serving flags, as {@code vllm serve} arguments
 * @param workload  benchmark shape for step-time points (null for start-ups)
 * @param measured  the published value (tokens, or milliseconds)
 * @param tolerancePercent  the |error| the regression test accepts for this case
 * @param source    where it was published
 * @param note      what the source says beyond the number
 */
public record FidelityCase(String id, Kind kind, VllmVersion version, Gpu gpu, String model, String vllmArgs,
                           Workload workload, double measured, double tolerancePercent, String source,
                           String note) {

    /** What a case measures. */
    public enum Kind { KV_TOKENS, TPOT_MS, TTFT_MS }

    /** A closed-loop benchmark: prompts of {@code inputTokens}, {@code outputTokens} out, {@code concurrency} streams. */
    public record Workload(int inputTokens, int outputTokens, int concurrency) {
        private static final Pattern FORM = Pattern.compile("in=(\\d+) out=(\\d+) concurrency=(\\d+)");

        static Workload parse(String text) {
            if (text.isBlank()) return null;
            Matcher m = FORM.matcher(text.trim());
            if (!m.matches()) throw new IllegalArgumentException("fidelity corpus: bad workload '" + text + "'");
            return new Workload(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
    }

    private static final String CORPUS = "/dev/headroom/selftest/fidelity-corpus.csv";

    /** The serving setup the case ran, with vLLM's defaults of its release resolved. */
    public ServingSetup setup() {
        ServeFlags flags = VllmArgs.fromCommandLine(vllmArgs);
        return ServingSetup.resolve(flags.overriddenBy(new ServeFlags(model, null, null, null, null, null, null, null,
                null, null, null, null, null)), GpuSpec.of(gpu), version);
    }

    /** Every case of the bundled corpus, in file order. */
    public static List<FidelityCase> corpus() {
        try (InputStream in = FidelityCase.class.getResourceAsStream(CORPUS)) {
            List<FidelityCase> cases = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) cases.add(parse(line));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FidelityCase parse(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length != 11) throw new IllegalArgumentException("fidelity corpus: expected 11 fields in '" + line + "'");
        return new FidelityCase(f[0], Kind.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)), VllmVersion.parse(f[2]),
                Gpu.parse(f[3]), f[4], f[5], Workload.parse(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), f[9],
                f[10]);
    }
}
