package dev.headroom.engine;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Workloads and statistics shared by engine and roofline tests. */
public final class TestWorkloads {

    private TestWorkloads() {}

    /** {@code n} prompts of exactly {@code inputTokens} SimTokenizer tokens (distinct random 5-letter words). */
    public static List<Prompt> random(int n, int inputTokens, int outputTokens, long seed) {
        Random rnd = new Random(seed);
        List<Prompt> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder(inputTokens * 6);
            for (int t = 0; t < inputTokens; t++) {
                sb.append(' ');
                for (int c = 0; c < 5; c++) sb.append((char) ('a' + rnd.nextInt(26)));
            }
            out.add(new Prompt(null, sb.toString(), inputTokens, outputTokens));
        }
        return out;
    }

    /** vLLM bench's TPOT per request: (e2el − ttft) / (output − 1), in ms; requests with one token skipped. */
    public static double medianTpotMs(List<RequestRecord> records) {
        double[] tpot = records.stream().filter(r -> r.outputTokens() > 1)
                .mapToDouble(r -> (r.lastTokenNanos() - r.firstTokenNanos()) / 1e6 / (r.outputTokens() - 1))
                .sorted().toArray();
        return median(tpot);
    }

    /** Output tokens per second over the run: total output / (last token − first send). */
    public static double outputThroughput(List<RequestRecord> records) {
        long start = records.stream().mapToLong(RequestRecord::sentNanos).min().orElseThrow();
        long end = records.stream().mapToLong(RequestRecord::lastTokenNanos).max().orElseThrow();
        return records.stream().mapToLong(RequestRecord::outputTokens).sum() / ((end - start) / 1e9);
    }

    public static double median(double[] sorted) {
        double[] s = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
