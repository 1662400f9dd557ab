package dev.headroom.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table from the names in results files, metrics and server options to the plain words a client reads. A
 * report's and a playbook's body use only the plain words ({@link #plain(Doc)}); the glossary appendix
 * ({@link #append}) is the one place that names both.
 */
final class Glossary {

    /** Name in the files or options → plain words, in the order the appendix lists them. */
    static final Map<String, String> TERMS = terms();

    /** A percentile metric key such as {@code p95_e2el_ms}, read by {@link Fmt#metricName}. */
    private static final Pattern METRIC = Pattern.compile("`?\\b((?:p\\d+|median|mean)_(?:e2el|ttft|tpot|itl)_ms)\\b`?");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** A config named by its settings, as a sweep names each cell of its grid: {@code gpu_memory_utilization=0.25,max_model_len=4096}. */
    private static final Pattern SETTINGS = Pattern.compile("`?\\b([a-z]+(?:_[a-z]+)+=[\\w.]+(?:,[a-z]+(?:_[a-z]+)+=[\\w.]+)*)\\b`?");

    private Glossary() {}

    private static Map<String, String> terms() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("gpu_memory_utilization", "GPU memory fraction");
        t.put("max_model_len", "context-length limit");
        t.put("max_num_seqs", "running-request limit");
        t.put("max_num_batched_tokens", "per-step token budget");
        t.put("enable_prefix_caching", "prefix caching");
        t.put("enable_chunked_prefill", "chunked prefill");
        t.put("kv_cache_dtype", "KV-cache data type");
        t.put("--enable-per-request-metrics", "per-request metrics option");
        t.put("num_requests_running_mean", "mean running requests");
        t.put("num_requests_running_max", "peak running requests");
        t.put("num_requests_waiting_mean", "mean waiting requests");
        t.put("num_requests_waiting_max", "peak waiting requests");
        t.put("kv_cache_usage_max", "peak KV-cache usage");
        t.put("kv_cache_usage_mean", "mean KV-cache usage");
        t.put("server_preemptions", "preemptions");
        t.put("server_prefix_cache_hit_rate", "prefix-cache hit rate");
        t.put("vllm:num_preemptions_total", "vLLM's preemption counter");
        t.put("gpu_power_mean_w", "mean GPU power");
        t.put("gpu_util_mean_perc", "mean GPU utilisation");
        t.put("energy_per_output_token_j_upper_bound", "energy per output token at full board power (an upper bound)");
        t.put("energy_per_output_token_j", "energy per output token");
        t.put("output_throughput", "output throughput");
        t.put("request_throughput", "request throughput");
        t.put("client", "the load generator");
        t.put("errors", "server errors");
        t.put("kv_capacity", "KV-cache capacity");
        t.put("prefill_compute", "prefill compute");
        t.put("decode_bandwidth", "decode memory bandwidth");
        t.put("decode_compute", "decode compute");
        t.put("prefill_interference", "prompt processing sharing the decode steps");
        t.put("queueing", "queueing for a free slot");
        t.put("none_observed", "no limit observed");
        t.put("client_limited", "limited by the load generator");
        t.put("server_died", "server died");
        t.put("failed_to_start", "failed to start");
        t.put("died_under_load", "died under load");
        t.put("out_of_memory", "out of GPU memory");
        t.put("kv_cache_too_small", "KV cache too small");
        t.put("bad_config", "invalid server settings");
        t.put("health_timeout", "not ready in time");
        t.put("unschedulable", "no node of its GPU class could take it");
        t.put("image_pull", "its container image could not be pulled");
        t.put("oom_killed", "killed for passing its memory limit");
        t.put("simulated_target", "what the simulator stood in for");
        t.put("capacity.csv", "the sweep's results table");
        t.put("configs.csv", "the sweep's server-settings table");
        t.put("analysis.json", "the analysis");
        t.put("summary.json", "the run's summary");
        t.put("requests.jsonl", "the per-request log");
        t.put("run.yaml", "the run's record");
        t.put("sweep.json", "the sweep's record");
        return java.util.Collections.unmodifiableMap(t);
    }

    /**
     * {@code text} in plain words: a {@code `code`} span that is exactly a name of the table becomes its plain words;
     * any other span (a config's own name, a command, a path) stays as written; outside spans, a name that looks like
     * one (an underscore, a dot, a colon or a leading dash in it) becomes its plain words. A config named by its settings
     * ({@code max_model_len=4096,...}) reads as those settings in plain words.
     */
    static String plain(String text) {
        Matcher code = CODE.matcher(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (code.find()) {
            out.append(bare(text.substring(at, code.start())));
            String name = code.group(1);
            out.append(TERMS.containsKey(name) ? TERMS.get(name) : METRIC.matcher(name).matches() ? Fmt.metricName(name)
                    : SETTINGS.matcher(name).matches() ? settings(name) : code.group());
            at = code.end();
        }
        return out.append(bare(text.substring(at))).toString();
    }

    /** A config named by its settings, in plain words: "GPU memory fraction 0.25, context-length limit 4096". */
    private static String settings(String name) {
        List<String> parts = new ArrayList<>();
        for (String kv : name.split(",")) {
            String[] p = kv.split("=", 2);
            parts.add(TERMS.getOrDefault(p[0], p[0].replace('_', ' ')) + " " + p[1]);
        }
        return String.join(", ", parts);
    }

    private static String bare(String text) {
        String out = SETTINGS.matcher(text).replaceAll(m -> Matcher.quoteReplacement(settings(m.group(1))));
        out = METRIC.matcher(out).replaceAll(m -> Matcher.quoteReplacement(Fmt.metricName(m.group(1))));
        List<String> names = TERMS.keySet().stream().filter(Glossary::looksLikeAName)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) {
            // A name inside a longer one (a config named gpu_memory_utilization=0.25) is left alone.
            out = out.replaceAll("(?<![\\w=.,-])" + Pattern.quote(name) + "(?![\\w=]|\\.\\w)", Matcher.quoteReplacement(TERMS.get(name)));
        }
        return out;
    }

    private static boolean looksLikeAName(String name) {
        return name.contains("_") || name.contains(".") || name.contains(":") || name.startsWith("-");
    }

    /** The document in plain words: every block's text but code, which a reader copies as it is. */
    static Doc plain(Doc doc) {
        Doc out = new Doc(plain(doc.title()));
        for (Doc.Block b : doc.blocks()) {
            out.add(switch (b) {
                case Doc.Heading h -> new Doc.Heading(h.level(), plain(h.text()));
                case Doc.Para p -> new Doc.Para(plain(p.text()));
                case Doc.Table t -> new Doc.Table(t.header().stream().map(Glossary::plain).toList(),
                        t.rows().stream().map(r -> r.stream().map(Glossary::plain).toList()).toList());
                case Doc.Figure f -> new Doc.Figure(f.stem(), plain(f.caption()));
                case Doc.Items i -> new Doc.Items(i.items().stream().map(Glossary::plain).toList(), i.numbered());
                case Doc.Code c -> c;
                case Doc.Details d -> new Doc.Details(plain(d.summary()), d.original());
                case Doc.Banner n -> new Doc.Banner(plain(n.text()));
                case Doc.PageBreak p -> p;
            });
        }
        return out;
    }

    /** The appendix: each name a reader may meet in the results files or vLLM's options, with its plain words. */
    static void append(Doc doc) {
        doc.h2("Glossary: names in the results files");
        doc.p("The body of this document uses plain words. Opening the results files or setting the server's options, "
                + "you will meet these names instead (percentile metrics read as p95_e2el_ms: the 95th percentile of "
                + "end-to-end latency in milliseconds; ttft is time to first token, tpot time per output token, itl the "
                + "gap between tokens).");
        List<List<String>> rows = new ArrayList<>();
        TERMS.forEach((name, words) -> rows.add(List.of(words, "`" + name + "`")));
        doc.table(List.of("In this document", "In the files and options"), rows);
    }
}
