package dev.headroom.cli;

import dev.headroom.plan.FromLog;
import dev.headroom.plan.StartupLog;
import dev.headroom.spec.ServeConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code plan --from-log} prints a start-up log against the planner: term by term, then the KV tokens. */
final class FromLogReport {

    private FromLogReport() {}

    static void print(PrintWriter w, FromLog fl) {
        StartupLog log = fl.log();
        ServeConfig s = fl.setup().serve();
        w.printf(Locale.ROOT, "From log: vLLM %s (%s engine), %s on %s (%.2f GiB), gpu_memory_utilization=%s "
                        + "max_model_len=%d max_num_seqs=%d max_num_batched_tokens=%d%s%n", log.version(),
                fl.derived().engine(), fl.setup().model().name(), fl.setup().gpu().deviceName(),
                fl.setup().gpu().totalMemoryGib(), s.gpuMemoryUtilization(), s.maxModelLen(), s.maxNumSeqs(),
                s.maxNumBatchedTokens(), log.modelRunnerV1Fallback() ? " (Model Runner V2 fell back to V1)" : "");
        w.printf(Locale.ROOT, "  %-18s %12s %12s %10s%n", "term (GiB)", "logged", "predicted", "error");
        for (FromLog.Term t : fl.terms()) {
            w.printf(Locale.ROOT, "  %-18s %12s %12.2f %10s%n", t.name(),
                    t.loggedGib() == null ? "-" : String.format(Locale.ROOT, "%.2f", t.loggedGib()), t.derivedGib(),
                    t.loggedGib() == null ? "" : String.format(Locale.ROOT, "%+.2f", t.derivedGib() - t.loggedGib()));
        }
        String logged = log.kvTokens() == null ? "-" : String.format(Locale.US, "%,d", log.kvTokens());
        w.printf(Locale.US, "  %-18s %12s %12s %10s%n", "KV tokens", logged,
                String.format(Locale.US, "%,d", fl.derived().kvCacheTokens()), log.kvTokens() == null ? ""
                        : String.format(Locale.ROOT, "%+.2f%%", 100.0 * (fl.derived().kvCacheTokens() - log.kvTokens())
                        / log.kvTokens()));
        long[] range = fl.kvTokensWithinRounding();
        if (range != null) {
            Boolean ok = fl.reproducesLoggedTokens();
            w.printf(Locale.US, "  The logged %.2f GiB of KV cache holds %,d to %,d tokens within its rounding%s%n",
                    log.kvCacheGib(), range[0], range[1], ok == null ? "." : ok ? ": the log's own tokens are reproduced."
                            : ": the log's own tokens are NOT reproduced (another layout, e.g. a hybrid model?).");
        }
    }

    static Map<String, Object> toMap(FromLog fl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vllm_version", fl.log().version().toString());
        List<Map<String, Object>> terms = new ArrayList<>();
        for (FromLog.Term t : fl.terms()) {
            Map<String, Object> term = new LinkedHashMap<>();
            term.put("term", t.name());
            term.put("logged_gib", t.loggedGib());
            term.put("predicted_gib", Math.round(t.derivedGib() * 10_000) / 10_000.0);
            terms.add(term);
        }
        m.put("terms", terms);
        m.put("logged_kv_tokens", fl.log().kvTokens());
        m.put("predicted_kv_tokens", fl.derived().kvCacheTokens());
        m.put("reproduces_logged_kv_tokens", fl.reproducesLoggedTokens());
        return m;
    }
}
