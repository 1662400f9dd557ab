package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The knobs section and the out-of-memory checklist for a study whose every recipe ran on a server other than vLLM
 * (llama.cpp's llama-server, SGLang), in that server's terms: vLLM's knobs (its paged KV cache, its preemptions, its
 * per-step token budget) are not advice for them. What the server does not expose reads "not measured".
 */
final class ServerKnobs {

    private ServerKnobs() {}

    /** The one server of every recipe, or null when they are vLLM or mixed (then vLLM's section applies). */
    static ServerKind other(List<Recipe> recipes) {
        List<ServerKind> kinds = recipes.stream().map(r -> ServerKind.of(r.curve())).distinct().toList();
        return kinds.size() == 1 && kinds.get(0) != ServerKind.VLLM ? kinds.get(0) : null;
    }

    /** Appends the knobs section in the server's terms; false (nothing written) when vLLM's applies. */
    static boolean append(Doc doc, List<Recipe> recipes) {
        ServerKind server = other(recipes);
        if (server == null) return false;
        doc.h2("Best-practice knobs");
        boolean llama = server == ServerKind.LLAMA_CPP;
        doc.h3(llama ? "Slots (`--parallel`) and context (`-c`)" : "Running requests (`--max-running-requests`)");
        doc.p(llama ? "llama-server runs at most `--parallel` requests at once, one per slot, and gives each slot `-c` divided "
                + "by the slot count tokens of KV cache; a request beyond the slots waits (the server counts it as deferred)."
                : "SGLang runs at most `--max-running-requests` requests at once; the rest wait in its queue.");
        doc.bullets(recipes.stream().map(ServerKnobs::slots).toList());
        doc.h3("Preemption");
        doc.p(llama ? "llama-server does not preempt: a slot keeps its KV cache until its request ends, so a full server makes "
                + "new requests wait instead. Preemptions: not measured (the server has no such counter)."
                : "SGLang retracts requests when its KV pool runs out; headroom reads no retraction counter from it, so "
                + "preemptions are not measured.");
        doc.h3(llama ? "Prompt cache (`--cache-reuse`, `--cache-ram`)" : "Prefix cache (RadixAttention)");
        doc.p(llama ? "A slot keeps its last prompt, and a new request that shares its start reuses those tokens; the server "
                + "reports them per response and in its cached-prompt-token counter. `--cache-ram 0` stops slots being saved to "
                + "host memory, so hits do not carry over between runs."
                : "SGLang's radix cache reuses shared prompt prefixes; `--disable-radix-cache` turns it off.");
        doc.bullets(recipes.stream().map(ServerKnobs::hitRate).toList());
        doc.h3("Key flags of these recipes");
        List<String> header = new ArrayList<>(List.of("Flag"));
        recipes.forEach(r -> header.add(r.workloadTitle() + " on " + r.gpu().label()));
        List<List<String>> rows = new ArrayList<>();
        for (String flag : flags(server)) {
            List<String> row = new ArrayList<>(List.of("`" + flag + "`"));
            recipes.forEach(r -> row.add(value(ServeConfigText.command(r), flag)));
            rows.add(row);
        }
        doc.table(header, rows);
        return true;
    }

    /** Appends the out-of-memory checklist in the server's terms; false when vLLM's applies. */
    static boolean checklist(Doc doc, List<Recipe> recipes) {
        ServerKind server = other(recipes);
        if (server == null) return false;
        boolean gpu = recipes.stream().anyMatch(r -> r.gpu().memoryGb() > 0);
        doc.h2("Out-of-memory checklist");
        List<String> items = new ArrayList<>();
        if (server == ServerKind.LLAMA_CPP) {
            items.add("`-c` sizes the KV cache of all slots together: lower it, or lower `--parallel` so each slot keeps "
                    + "enough context.");
            if (gpu) items.add("Offload fewer layers to the GPU (`-ngl`) when the weights and the KV cache do not both fit.");
            items.add("`--cache-ram 0` keeps llama-server from saving slots in host memory.");
        } else {
            items.add("Lower `--mem-fraction-static` if the server dies under load or other processes share the GPU.");
            items.add("Lower `--max-running-requests` or `--context-length` so fewer tokens compete for the KV pool.");
        }
        items.add(gpu ? "Monitor GPU memory while it runs: `nvidia-smi -l 1`."
                : "Monitor the server's resident memory while it runs (`top`, or `free -m`): it runs on the CPU.");
        doc.numbered(items);
        return true;
    }

    private static List<String> flags(ServerKind server) {
        return server == ServerKind.LLAMA_CPP ? List.of("--parallel", "-c", "-b", "-ngl")
                : List.of("--mem-fraction-static", "--context-length", "--max-running-requests", "--chunked-prefill-size");
    }

    /** The value of {@code flag} in a command line, or "not set". */
    private static String value(String command, String flag) {
        for (String line : command.split("\n")) {
            String part = line.replace("\\", "").trim();
            if (part.startsWith(flag + " ")) return part.substring(flag.length() + 1).trim();
        }
        return "not set";
    }

    private static String slots(Recipe r) {
        Curve c = r.curve();
        LoadPoint top = c.points().get(c.points().size() - 1);
        double running = top.num("num_requests_running_max");
        double waiting = top.num("num_requests_waiting_mean");
        double cap = r.serve().num("max_num_seqs");
        return r.workloadTitle() + " on " + r.gpu().label() + ": " + (Double.isNaN(cap) ? "slot count not recorded"
                : Fmt.count(cap) + " slots") + "; at " + c.loadText(top.load()) + ", at most "
                + (Double.isNaN(running) ? Fmt.MISSING : Fmt.count(running)) + " running and "
                + (Double.isNaN(waiting) ? Fmt.MISSING : Fmt.num(waiting)) + " waiting on average.";
    }

    private static String hitRate(Recipe r) {
        LoadPoint p = r.curve().typical().orElse(r.curve().points().get(0));
        double counter = p.num("server_prefix_cache_hit_rate");
        double usage = p.num("usage_cached_hit_rate");
        double rate = Double.isNaN(counter) ? usage : counter;
        return r.workloadTitle() + " on " + r.gpu().label() + ": " + (Double.isNaN(rate) ? "hit rate " + Fmt.MISSING
                : Fmt.pct(rate) + " of prompt tokens came from the cache") + " at " + r.curve().loadText(p.load()) + ".";
    }
}
