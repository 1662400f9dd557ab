package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.metrics.Numpy;
import dev.headroom.metrics.RequestRecord;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The report's {@code scenario.load.standardized}: the load's kind and level and the request lengths as sent, with
 * the distribution the run asked for. Lengths are the successful requests' (as summary.json's are): prompt tokens as
 * sent, output tokens as received.
 */
final class BrLoad {

    private BrLoad() {}

    static ObjectNode standardized(BrSource s) {
        ObjectNode std = BrStats.NODES.objectNode();
        std.put("tool", "headroom");
        std.put("tool_version", s.run().root().path("version").asText("unknown"));
        std.put("parallelism", 1);
        std.put("source", s.run().input("workload").equals("random") ? "random" : "sampled");
        std.put("stage", s.experiment().stage());
        double[] prompts = lengths(s.records(), RequestRecord::promptTokens, true);
        std.set("input_seq_len", sequence(prompts, s, "input_tokens", "input_stddev"));
        double[] outputs = lengths(s.records(), RequestRecord::outputTokens, false);
        if (outputs.length > 0 && s.run().root().path("inputs").path("exact_output_lengths").asBoolean(false)) {
            std.set("output_seq_len", sequence(outputs, s, "output_tokens", "output_stddev"));
        }
        String turns = s.run().input("turns");
        if (!turns.isEmpty()) std.set("multi_turn", multiTurn(turns));
        JsonNode rate = s.run().root().path("inputs").path("rate");
        if (rate.isNumber() && rate.asDouble() > 0 && Double.isFinite(rate.asDouble())) std.put("rate_qps", rate.asDouble());
        JsonNode concurrency = s.run().root().path("inputs").path("concurrency");
        if (concurrency.canConvertToInt() && concurrency.asInt() >= 1) std.put("concurrency", concurrency.asInt());
        return std;
    }

    /**
     * Token counts per request: of the successful requests; when none succeeded, prompts of every request sent
     * ({@code allWhenNoneOk}) or nothing.
     */
    private static double[] lengths(List<RequestRecord> records, ToDoubleFunction<RequestRecord> tokens, boolean allWhenNoneOk) {
        List<RequestRecord> ok = records.stream().filter(RequestRecord::ok).toList();
        List<RequestRecord> counted = ok.isEmpty() && allWhenNoneOk ? records : ok;
        return counted.stream().mapToDouble(tokens).toArray();
    }

    /**
     * A {@code SequenceLength}: the distribution the run asked for (a mean with a spread: uniform with
     * {@code --range-ratio}, gaussian with a standard deviation; fixed without either; other when the workload chose
     * the lengths), its mean as sent, and the least and most sent.
     */
    private static ObjectNode sequence(double[] sent, BrSource s, String meanKey, String stddevKey) {
        JsonNode inputs = s.run().root().path("inputs");
        String distribution;
        if (!inputs.path(meanKey).isNumber()) distribution = "other";
        else if (inputs.path("range_ratio").asDouble(0) > 0) distribution = "uniform";
        else if (inputs.path(stddevKey).asDouble(0) > 0) distribution = "gaussian";
        else distribution = "fixed";
        ObjectNode seq = BrStats.NODES.objectNode();
        seq.put("distribution", distribution);
        if (sent.length == 0) {
            seq.put("value", inputs.path(meanKey).asDouble(0));
            return seq;
        }
        seq.put("value", Numpy.mean(sent));
        if (distribution.equals("gaussian")) seq.put("std_dev", Numpy.std(sent));
        long min = Math.round(Numpy.percentile(sent, 0));
        long max = Math.round(Numpy.max(sent));
        seq.put("min", min);
        if (max >= 1) seq.put("max", max);
        return seq;
    }

    /** {@code --turns N} or {@code MIN..MAX}: sessions of that many turns. */
    private static ObjectNode multiTurn(String turns) {
        ObjectNode multi = BrStats.NODES.objectNode();
        multi.put("enabled", true);
        ObjectNode max = multi.putObject("max_turns");
        int range = turns.indexOf("..");
        if (range < 0) {
            max.put("distribution", "fixed");
            max.put("value", Integer.parseInt(turns.strip()));
        } else {
            int low = Integer.parseInt(turns.substring(0, range).strip());
            int high = Integer.parseInt(turns.substring(range + 2).strip());
            max.put("distribution", "uniform");
            max.put("value", high);
            max.put("min", low);
            max.put("max", high);
        }
        return multi;
    }
}
