package dev.headroom.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.metrics.Distribution;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.Summary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's {@code results.request_performance}: the aggregate (request counts and lengths, TTFT, TPOT, ITL,
 * E2E, NTPOT and the throughputs, with vLLM bench serve's definitions: reference/metrics.md) and time series of
 * latency and throughput per bucket of the run.
 */
final class BrRequests {

    /** Most buckets in a time series: long runs get wider buckets. */
    static final int MAX_BUCKETS = 120;

    private BrRequests() {}

    static ObjectNode of(BrSource s) {
        ObjectNode perf = BrStats.NODES.objectNode();
        ObjectNode aggregate = perf.putObject("aggregate");
        aggregate.set("requests", requests(s));
        BrStats.putIf(aggregate, "latency", latency(s.stats()));
        aggregate.set("throughput", throughput(s));
        BrStats.putIf(perf, "time_series", timeSeries(s));
        return perf;
    }

    private static ObjectNode requests(BrSource s) {
        Summary st = s.stats();
        ObjectNode r = BrStats.NODES.objectNode();
        r.put("total", st.completed() + st.failed() + st.cancelled());
        r.put("failures", st.failed());
        r.put("incomplete", st.cancelled());
        List<RequestRecord> ok = s.records().stream().filter(RequestRecord::ok).toList();
        BrStats.putIf(r, "input_length", BrStats.of(ok.stream().mapToDouble(RequestRecord::promptTokens).toArray(), "count"));
        BrStats.putIf(r, "output_length", BrStats.of(ok.stream().mapToDouble(RequestRecord::outputTokens).toArray(), "count"));
        return r;
    }

    private static ObjectNode latency(Summary st) {
        ObjectNode l = BrStats.NODES.objectNode();
        BrStats.putIf(l, "time_to_first_token", BrStats.ofMs(st.ttft(), "ms"));
        BrStats.putIf(l, "normalized_time_per_output_token", BrStats.ofMs(st.distribution("ntpot"), "ms/token"));
        BrStats.putIf(l, "time_per_output_token", BrStats.ofMs(st.tpot(), "ms/token"));
        BrStats.putIf(l, "inter_token_latency", BrStats.ofMs(st.itl(), "ms/token"));
        BrStats.putIf(l, "request_latency", BrStats.ofMs(st.e2el(), "ms"));
        return l.isEmpty() ? null : l;
    }

    private static ObjectNode throughput(BrSource s) {
        ObjectNode t = BrStats.NODES.objectNode();
        double seconds = s.durationSeconds();
        Double input = s.number("total_input_tokens");
        BrStats.putIf(t, "input_token_rate", BrStats.mean(input == null || seconds <= 0 ? null : input / seconds, "tokens/s"));
        BrStats.putIf(t, "output_token_rate", BrStats.mean(s.number("output_throughput"), "tokens/s"));
        BrStats.putIf(t, "total_token_rate", BrStats.mean(s.number("total_token_throughput"), "tokens/s"));
        BrStats.putIf(t, "request_rate", BrStats.mean(s.number("request_throughput"), "queries/s"));
        return t;
    }

    /**
     * Per bucket of the run (1 s, wider for long runs so there are at most {@link #MAX_BUCKETS}), stamped at the
     * bucket's start: TTFT and E2E of the successful requests that finished in it; requests finished per second;
     * prompt tokens per second of the requests whose first token came in it; output tokens per second streamed in it
     * (a chunk carries its request's output tokens over its chunks).
     */
    private static ObjectNode timeSeries(BrSource s) {
        List<RequestRecord> ok = s.records().stream().filter(RequestRecord::ok).toList();
        if (ok.isEmpty()) return null;
        long endNanos = ok.stream().mapToLong(RequestRecord::lastTokenNanos).max().orElse(0);
        long widthNanos = Math.max(1_000_000_000L, (long) Math.ceil((endNanos + 1) / (double) MAX_BUCKETS / 1e9) * 1_000_000_000L);
        int buckets = (int) (Math.max(0, endNanos) / widthNanos) + 1;
        List<List<RequestRecord>> finished = new ArrayList<>();
        for (int i = 0; i < buckets; i++) finished.add(new ArrayList<>());
        double[] prompt = new double[buckets];
        double[] output = new double[buckets];
        for (RequestRecord r : ok) {
            finished.get(bucket(r.lastTokenNanos(), widthNanos)).add(r);
            prompt[bucket(r.firstTokenNanos(), widthNanos)] += r.promptTokens();
            double perChunk = (double) r.outputTokens() / r.chunkNanos().length;
            for (long chunk : r.chunkNanos()) output[bucket(chunk, widthNanos)] += perChunk;
        }
        double widthSeconds = widthNanos / 1e9;
        Instant start = s.startedAt();
        ObjectNode ttft = series("ms");
        ObjectNode e2e = series("ms");
        ObjectNode requestRate = series("queries/s");
        ObjectNode inputRate = series("tokens/s");
        ObjectNode outputRate = series("tokens/s");
        ObjectNode totalRate = series("tokens/s");
        for (int i = 0; i < buckets; i++) {
            String ts = start.plusNanos(i * widthNanos).toString();
            List<RequestRecord> done = finished.get(i);
            if (!done.isEmpty()) {
                Summary bucket = Summary.compute(done, widthNanos, null);
                point(ttft, ts, bucket.ttft());
                point(e2e, ts, bucket.e2el());
            }
            value(requestRate, ts, done.size() / widthSeconds);
            value(inputRate, ts, prompt[i] / widthSeconds);
            value(outputRate, ts, output[i] / widthSeconds);
            value(totalRate, ts, (prompt[i] + output[i]) / widthSeconds);
        }
        ObjectNode ts = BrStats.NODES.objectNode();
        ObjectNode latency = ts.putObject("latency");
        latency.set("time_to_first_token", ttft);
        latency.set("request_latency", e2e);
        ObjectNode throughput = ts.putObject("throughput");
        throughput.put("units", "tokens/s");
        throughput.set("input_token_rate", inputRate);
        throughput.set("output_token_rate", outputRate);
        throughput.set("total_token_rate", totalRate);
        throughput.set("request_rate", requestRate);
        return ts;
    }

    private static int bucket(long nanos, long widthNanos) {
        return (int) (Math.max(0, nanos) / widthNanos);
    }

    private static ObjectNode series(String units) {
        ObjectNode data = BrStats.NODES.objectNode();
        data.put("units", units);
        data.putArray("series");
        return data;
    }

    private static void point(ObjectNode data, String ts, Distribution d) {
        ObjectNode p = ((ArrayNode) data.get("series")).addObject();
        p.put("ts", ts);
        p.put("mean", d.meanMs());
        p.put("p50", d.percentileMs(50));
        p.put("p90", d.percentileMs(90));
        p.put("p99", d.percentileMs(99));
    }

    private static void value(ObjectNode data, String ts, double v) {
        ObjectNode p = ((ArrayNode) data.get("series")).addObject();
        p.put("ts", ts);
        p.put("value", v);
    }
}
