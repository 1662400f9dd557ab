package dev.headroom.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request value lists {@link Summary} takes its statistics from, gathered in one pass over the records in
 * the order given, as vllm/benchmarks/serve.py {@code calculate_metrics} gathers them (seconds, successful
 * requests only).
 */
final class SeriesSet {

    private static final double NANOS_PER_S = 1e9;

    int completed;
    /** Failed requests, cancelled ones excluded. */
    int failed;
    int cancelled;
    /** Failed requests headroom's own client caused: part of {@link #failed}. */
    int clientFailed;
    /** Completed requests the server cut short: part of {@link #completed}. */
    int shortOutputs;
    /** Failed requests per kind that occurred, in the kinds' order; cancelled ones excluded. */
    private final Map<RequestError.Kind, Integer> failedByKind = new java.util.EnumMap<>(RequestError.Kind.class);
    int connectionsOpened;
    long totalInput;
    long totalOutput;
    int usageReported;
    private final Series ttft = new Series();
    private final Series tpot = new Series();
    private final Series allTpot = new Series();
    private final Series itl = new Series();
    private final Series e2el = new Series();
    private final Series clientQueue = new Series();
    private final Series e2elInclQueue = new Series();
    private final Series ttftInclQueue = new Series();
    private final Series ttftContent = new Series();
    private final Series ntpot = new Series();
    private final Series decodeItl = new Series();
    /** Prompt tokens of each successful request, as sent. */
    private final Series inputTokens = new Series();
    /** Output tokens of each successful request, as received. */
    private final Series outputTokens = new Series();

    static SeriesSet of(List<RequestRecord> records) {
        SeriesSet s = new SeriesSet();
        for (RequestRecord r : records) {
            if (r.connection().openedConnection()) s.connectionsOpened++;
            if (r.ok()) s.addSuccess(r);
            else if (r.cancelled()) s.cancelled++;
            else s.addFailure(r.error().kind());
            if (r.clientFailed()) s.clientFailed++;
            if (r.shortOutput()) s.shortOutputs++;
        }
        return s;
    }

    private void addFailure(RequestError.Kind kind) {
        failed++;
        failedByKind.merge(kind, 1, Integer::sum);
    }

    /** Failed requests per error kind label ({@code http}, {@code timeout}, …) that occurred, in the kinds' order. */
    Map<String, Integer> failedByKind() {
        Map<String, Integer> byLabel = new LinkedHashMap<>();
        failedByKind.forEach((kind, count) -> byLabel.put(kind.label(), count));
        return byLabel;
    }

    private void addSuccess(RequestRecord r) {
        completed++;
        int out = r.outputTokens();
        totalInput += r.promptTokens();
        totalOutput += out;
        inputTokens.add(r.promptTokens());
        outputTokens.add(out);
        if (r.usageReported()) usageReported++;
        double ttftS = r.ttftNanos() / NANOS_PER_S;
        double latencyS = r.e2elNanos() / NANOS_PER_S;
        double queueS = r.clientQueueNanos() / NANOS_PER_S;
        // serve.py: tpot only when output_len > 1; for goodput such requests count tpot = 0.
        double tpotS = 0.0;
        if (out > 1) {
            tpotS = (latencyS - ttftS) / (out - 1);
            tpot.add(tpotS);
            decodeItl.add((r.lastTokenNanos() - r.firstTokenNanos()) / NANOS_PER_S / (out - 1));
        }
        allTpot.add(tpotS);
        long[] chunks = r.chunkNanos();
        for (int i = 1; i < chunks.length; i++) itl.add((chunks[i] - chunks[i - 1]) / NANOS_PER_S);
        ttft.add(ttftS);
        e2el.add(latencyS);
        clientQueue.add(queueS);
        // serve.py: e2el_including_client_queue = latency + client_queue_time.
        e2elInclQueue.add(latencyS + queueS);
        ttftInclQueue.add(ttftS + queueS);
        if (r.firstContentNanos() >= 0) ttftContent.add((r.firstContentNanos() - r.sentNanos()) / NANOS_PER_S);
        if (out >= 1) ntpot.add(latencyS / out);
    }

    /**
     * Successful requests whose every per-request threshold holds ({@code slo >= value}, as serve.py); with
     * {@code fromScheduled}, TTFT and E2EL count from the scheduled send, so client queueing counts against them.
     */
    int goodRequests(Slo slo, boolean fromScheduled) {
        int good = 0;
        for (int i = 0; i < completed; i++) {
            boolean ok = true;
            for (Map.Entry<SloMetric, Long> e : slo.perRequestNanos().entrySet()) {
                double value = switch (e.getKey()) {
                    case TTFT -> fromScheduled ? ttftInclQueue.get(i) : ttft.get(i);
                    case TPOT -> allTpot.get(i);
                    case E2EL -> fromScheduled ? e2elInclQueue.get(i) : e2el.get(i);
                    case ITL -> throw new IllegalStateException("ITL has no per-request threshold");
                };
                ok &= e.getValue() / NANOS_PER_S >= value;
            }
            if (ok) good++;
        }
        return good;
    }

    Map<String, Distribution> distributions() {
        Map<String, Distribution> d = new LinkedHashMap<>();
        d.put("ttft", ttft.distribution());
        d.put("tpot", tpot.distribution());
        d.put("itl", itl.distribution());
        d.put("e2el", e2el.distribution());
        d.put("client_queue_time", clientQueue.distribution());
        d.put("e2el_including_client_queue", e2elInclQueue.distribution());
        d.put("ttft_including_client_queue", ttftInclQueue.distribution());
        d.put("ttft_content", ttftContent.distribution());
        d.put("ntpot", ntpot.distribution());
        d.put("decode_itl", decodeItl.distribution());
        return d;
    }

    /** Prompt tokens per successful request, as sent; null without one. */
    TokenLengths inputLengths() {
        return TokenLengths.of(inputTokens.values());
    }

    /** Output tokens per successful request, as received; null without one. */
    TokenLengths outputLengths() {
        return TokenLengths.of(outputTokens.values());
    }

    /** A growable list of values (seconds, or tokens). */
    private static final class Series {
        private double[] values = new double[16];
        private int size;

        void add(double v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        double get(int i) {
            return values[i];
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }

        Distribution distribution() {
            return Distribution.ofSeconds(values());
        }
    }
}
