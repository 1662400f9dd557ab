package dev.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code headroom demo}: the whole capacity study on the embedded simulator, as the other verbs run it. Every step is
 * an ordinary headroom command line, printed as it starts, so the demo doubles as a recipe for a real study.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole capacity study on the embedded simulator, no GPU needed, and write its playbook.",
                "A few minutes on 2 cores: chat and batch-summarization sweeps on a 16 GB T4 and an A100-40GB (Qwen2.5-1.5B-Instruct, the playbook's",
                "recipes), one of them measured over HTTP against the simulated server and predicted beside it, an OOM",
                "surface over server configs under load, the lab's tuning items (chunked prefill, prefix caching, the",
                "preemption remedies), analyze, report and playbook. Each step is printed as the command it runs."})
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Interactive chat: prompts of the chat workload's default spread (normal around 256 tokens, stddev 128, in
     * 64..1024) and short answers of varied length, normal around 96 tokens, as in low-latency Q&A.
     */
    private static final String CHAT = "--output-tokens 48 --output-stddev 24 --output-min 16 --output-max 160";
    /** Batch summarization: the bundled documents (300-3000 tokens), summaries uniform over the playbook's 256-512. */
    private static final String BATCH = "--output-tokens 384 --range-ratio 0.333";

    /** The T4 chat recipe's server settings: the base the tuning sweeps vary one setting of. */
    private static final String CHAT_T4 = "chat-t4.yaml";
    /** The T4 batch recipe's server settings. */
    private static final String BATCH_T4 = "batch-t4.yaml";
    /** The OOM surface's worst cell: it starts, and preempts under load (c=64 and c=128). */
    private static final String WORST_CELL = "worst-cell-t4.yaml";
    /**
     * The lab's preemption remedies, each one setting moved from the worst cell; a file's name is its config's label.
     * Tensor parallelism, the lab's last remedy, needs more than one GPU.
     */
    private static final Map<String, String> REMEDIES = remedies();

    @Spec
    CommandSpec spec;

    /** The default results folder; when it holds an earlier demo, the next free {@code headroom-demo-N}. */
    static final Path DEFAULT_OUT = Path.of("headroom-demo");

    @Option(names = "--out", description = "Results folder, new or empty (default: headroom-demo, or the next free "
            + "headroom-demo-2, -3, ... when it holds an earlier demo).")
    Path out;

    @Option(names = "--point-duration", defaultValue = "5s",
            description = "How long each measured load point issues requests (default: ${DEFAULT-VALUE}).")
    String pointDuration;

    @Option(names = "--no-progress", description = "Print no line per step; only a failure and, at the end, where the study is.")
    boolean noProgress;

    /**
     * One step of the study: what it shows, and the headroom command line that does it.
     *
     * @param concurrencyFrom a sweep folder whose recommended concurrency (analysis.json's) this step's command
     *                        line takes as {@code --concurrency}, once the earlier steps have written it; or null
     */
    record Step(String title, List<String> args, Path concurrencyFrom) {

        /** The command line to run, with the recommended concurrency filled in. */
        List<String> commandLine() throws IOException {
            if (concurrencyFrom == null) return args;
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--concurrency", String.valueOf(recommendedConcurrency(concurrencyFrom))));
            return all;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (out == null) out = freeFolder(DEFAULT_OUT);
        refuseUsedFolder();
        Files.createDirectories(out);
        writeServeBases(out.resolve("serve-base"));
        Path log = out.resolve("demo.log");
        long start = System.nanoTime();
        List<Step> steps = steps();
        try (PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                List<String> args = step.commandLine();
                String commandLine = "./headroom " + String.join(" ", args.stream().map(DemoCommand::quoted).toList());
                if (!noProgress) {
                    console.printf("[%d/%d] %s%n      %s%n", i + 1, steps.size(), step.title(), commandLine);
                    console.flush();
                }
                logWriter.println("$ " + commandLine);
                long stepStart = System.nanoTime();
                int rc = run(args, logWriter);
                if (!noProgress) {
                    console.printf("      %s in %.0f s%n", rc == 0 ? "done" : "FAILED (exit " + rc + ")",
                            (System.nanoTime() - stepStart) / 1e9);
                }
                if (rc != 0) {
                    spec.commandLine().getErr().println("headroom: demo step failed: " + commandLine
                            + "; its output is in " + log);
                    return Errors.FAILURE;
                }
            }
        }
        printArtifacts(console, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The study's steps, each an ordinary command line; every path is one argument, spaces and all. */
    List<Step> steps() {
        Path sweeps = out.resolve("sweeps");
        String t4Chat = "--gpu t4 --gpu-memory-utilization 0.8 --max-model-len 4096 --max-num-seqs 128";
        String t4Batch = "--gpu t4 --gpu-memory-utilization 0.85 --max-model-len 8192 --max-num-seqs 256 --max-num-batched-tokens 8192";
        String a100Chat = "--gpu a100-40gb --gpu-memory-utilization 0.85 --max-model-len 4096 --max-num-seqs 256";
        String a100Batch = "--gpu a100-40gb --gpu-memory-utilization 0.85 --max-model-len 8192 --max-num-seqs 256 --max-num-batched-tokens 8192";
        List<Step> steps = new ArrayList<>();
        steps.add(step("Chat (prompts around 256 tokens, answers around 48) on a 16 GB T4, measured over HTTP against the embedded simulator",
                "sweep --workload chat " + CHAT + " --concurrency 1..128x2 --duration " + pointDuration + " --no-progress " + t4Chat
                        + " --out", sweeps.resolve("chat-t4")));
        steps.add(step("The same grid predicted on the simulator's virtual clock",
                "sweep --offline --workload chat " + CHAT + " --concurrency 1..128x2 --requests 200 " + t4Chat + " --out",
                sweeps.resolve("chat-t4-predicted")));
        steps.add(step("Batch summarization (summaries of 256-512 tokens) on a 16 GB T4 (predicted)",
                "sweep --offline --workload summarize " + BATCH + " --concurrency 1..128x2 --requests 200 --no-early-stop " + t4Batch
                        + " --out", sweeps.resolve("batch-t4")));
        steps.add(step("Chat on an A100-40GB (predicted)",
                "sweep --offline --workload chat " + CHAT + " --concurrency 1..256x2 --requests 400 " + a100Chat + " --out",
                sweeps.resolve("chat-a100")));
        steps.add(step("Batch summarization on an A100-40GB (predicted)",
                "sweep --offline --workload summarize " + BATCH + " --concurrency 1..256x2 --requests 400 --no-early-stop " + a100Batch
                        + " --out", sweeps.resolve("batch-a100")));
        String surfaceLoad = "sweep --offline --workload chat " + CHAT + " --concurrency 16,64,128 --requests 256 --gpu t4";
        steps.add(step("OOM surface on the T4: which server configs start (out of memory, KV cache too small), and what each does under load (predicted)",
                surfaceLoad + " --serve-grid gpu_memory_utilization=0.2,0.25,0.95;max_model_len=4096,32768;max_num_seqs=32,128 --out",
                sweeps.resolve("oom-surface-t4")));
        Path bases = out.resolve("serve-base");
        steps.add(step("The lab's preemption remedies on the surface's worst cell (0.25, 4096, 128, which preempts under load), one setting at a time (predicted)",
                surfaceLoad + " --serve-base", bases.resolve(WORST_CELL), "--serve", new Word(String.join(",", REMEDIES.keySet().stream()
                        .map(f -> bases.resolve(f).toString()).toList())), "--out", sweeps.resolve("tuning-remedies-t4")));
        steps.add(step("Chunked prefill for chat on the T4: per-step token budget 2048, 8192, 16384 (predicted)",
                "sweep --offline --workload chat " + CHAT + " --concurrency 16,64,128 --requests 200 --gpu t4 --serve-base",
                bases.resolve(CHAT_T4), "--serve-grid max_num_batched_tokens=2048,8192,16384 --out", sweeps.resolve("tuning-batched-tokens-chat-t4")));
        steps.add(step("Chunked prefill for batch summarization on the T4: per-step token budget 2048, 8192, 16384 (predicted)",
                "sweep --offline --workload summarize " + BATCH + " --concurrency 16,64,128 --requests 200 --no-early-stop --gpu t4 --serve-base",
                bases.resolve(BATCH_T4), "--serve-grid max_num_batched_tokens=2048,8192,16384 --out", sweeps.resolve("tuning-batched-tokens-batch-t4")));
        steps.add(step("Prefix caching on and off for chat with a 1,024-token shared system prompt on the T4 (predicted)",
                "sweep --offline --workload chat --output-tokens 96 --input-tokens 1280 --shared-prefix-tokens 1024 --concurrency 16,64 "
                        + "--requests 200 --gpu t4 --serve-base", bases.resolve(CHAT_T4),
                "--serve-grid enable_prefix_caching=true,false --out", sweeps.resolve("tuning-prefix-caching-chat-t4")));
        List<String> names = List.of("chat-t4", "chat-t4-predicted", "batch-t4", "chat-a100", "batch-a100", "oom-surface-t4",
                "tuning-remedies-t4", "tuning-batched-tokens-chat-t4", "tuning-batched-tokens-batch-t4", "tuning-prefix-caching-chat-t4");
        for (String sweep : names) steps.add(step("Verdict for " + sweep, "analyze", sweeps.resolve(sweep)));
        // The recommended measured point, run 3 more times with prompts of their own (--seed 1: the sweep's seeds
        // differ by repeat, and from chat-t4's), then analyzed with chat-t4: one group, so the point has 4 runs.
        Step repeat = step("Chat on the T4 again at its recommended load: 3 more runs, each with its own prompts, for a "
                + "confidence interval", "sweep --workload chat " + CHAT + " --repeat 3 --seed 1 --duration " + pointDuration
                + " --no-progress " + t4Chat + " --out", sweeps.resolve("chat-t4-repeat"));
        steps.add(new Step(repeat.title(), repeat.args(), sweeps.resolve("chat-t4")));
        steps.add(step("Verdict for chat-t4 with its recommended load repeated", "analyze", sweeps.resolve("chat-t4"),
                sweeps.resolve("chat-t4-repeat"), "--out", sweeps.resolve("chat-t4")));
        steps.add(step("Measured against predicted, chat on the T4", "analyze", sweeps.resolve("chat-t4"),
                sweeps.resolve("chat-t4-predicted"), "--out", out.resolve("comparison")));
        List<Object> report = new ArrayList<>(List.of("report"));
        List<Object> playbook = new ArrayList<>(List.of("playbook"));
        for (String sweep : names) {
            report.add(sweeps.resolve(sweep));
            playbook.add(sweeps.resolve(sweep));
        }
        report.add(sweeps.resolve("chat-t4-repeat"));
        playbook.add(sweeps.resolve("chat-t4-repeat"));
        report.addAll(List.of("--out", out.resolve("report")));
        playbook.addAll(List.of("--out", out.resolve("playbook")));
        steps.add(step("The report: charts, runs side by side, life of a request, cost", report.toArray()));
        steps.add(step("The serving playbook", playbook.toArray()));
        return steps;
    }

    private static Map<String, String> remedies() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gpu_memory_utilization=0.3.yaml", "gpu_memory_utilization: 0.3\n");
        m.put("max_num_seqs=64.yaml", "max_num_seqs: 64\n");
        m.put("max_num_batched_tokens=1024.yaml", "max_num_batched_tokens: 1024\n");
        m.put("max_model_len=2048.yaml", "max_model_len: 2048\n");
        return m;
    }

    /** The server configs (vLLM --config YAML) the tuning sweeps start from, written before the first step. */
    private static void writeServeBases(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(CHAT_T4), "gpu_memory_utilization: 0.8\nmax_model_len: 4096\nmax_num_seqs: 128\n");
        Files.writeString(dir.resolve(BATCH_T4), "gpu_memory_utilization: 0.85\nmax_model_len: 8192\nmax_num_seqs: 256\n");
        Files.writeString(dir.resolve(WORST_CELL), "gpu_memory_utilization: 0.25\nmax_model_len: 4096\nmax_num_seqs: 128\n");
        for (Map.Entry<String, String> r : REMEDIES.entrySet()) Files.writeString(dir.resolve(r.getKey()), r.getValue());
    }

    /** One argument however many spaces it holds (a list of paths). */
    private record Word(String text) {}

    /** A step from words (text split at spaces) and paths (each one argument, whatever it holds). */
    private static Step step(String title, Object... parts) {
        List<String> args = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Path p) args.add(p.toString());
            else if (part instanceof Word w) args.add(w.text());
            else args.addAll(List.of(part.toString().trim().split("\\s+")));
        }
        return new Step(title, args, null);
    }

    /**
     * The concurrency analysis.json in {@code sweep} recommends: its recommended load (by the workload's objective),
     * else its best point within the SLO, else its knee, else 1 (no load passed: the lightest is the one to repeat).
     */
    static int recommendedConcurrency(Path sweep) throws IOException {
        JsonNode root = JSON.readTree(sweep.resolve("analysis.json").toFile());
        for (String key : List.of("recommendation", "best", "knee")) {
            JsonNode c = root.path(key).path("concurrency");
            if (c.canConvertToInt() && c.asInt() >= 1) return c.asInt();
        }
        return 1;
    }

    /** An argument as a POSIX shell needs it to stay one word. */
    private static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** {@code base} when it is new or empty, else the first {@code base-2}, {@code base-3}, ... that is. */
    static Path freeFolder(Path base) throws IOException {
        Path candidate = base;
        for (int n = 2; !fresh(candidate); n++) candidate = base.resolveSibling(base.getFileName() + "-" + n);
        return candidate;
    }

    private static boolean fresh(Path dir) throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * The demo writes a fresh study: a folder that already holds files (an earlier demo's, or anything else) is
     * refused before anything is written, so nothing is half overwritten.
     */
    private void refuseUsedFolder() throws IOException {
        if (!Files.isDirectory(out)) {
            if (Files.exists(out)) throw new Errors.UserError("--out " + out + " is a file; the demo needs a new or empty folder");
            return;
        }
        try (var entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new Errors.UserError("--out " + out + " already holds files; the demo writes a fresh study into a new "
                        + "or empty folder (choose another --out, or remove this one)");
            }
        }
    }

    /** Runs one verb in this JVM with its console output in the demo log. */
    private static int run(List<String> args, PrintWriter log) {
        CommandLine cli = Headroom.commandLine();
        cli.setOut(log);
        cli.setErr(log);
        return cli.execute(args.toArray(String[]::new));
    }

    /** ", report.pdf" when it was printed, else where the reason is. */
    private String pdf(String file) {
        String name = Path.of(file).getFileName().toString();
        return Files.isRegularFile(out.resolve(file)) ? ", " + name : "; " + name + " not printed, demo.log says why";
    }

    private void printArtifacts(PrintWriter console, double seconds) throws IOException {
        console.printf("%nThe capacity study is in %s (%.0f s):%n", out, seconds);
        console.println("  playbook    " + out.resolve("playbook/playbook.html") + "  (and playbook.md" + pdf("playbook/playbook.pdf")
                + ", vLLM config files in configs/vllm/)");
        console.println("  report      " + out.resolve("report/report.html") + "  (and report.md" + pdf("report/report.pdf")
                + ", charts as PNG and SVG)");
        console.println("  sweeps      " + out.resolve("sweeps") + "/*/capacity.csv, configs.csv, analysis.json, points/");
        console.println("  comparison  " + out.resolve("comparison/analysis.json") + "  (measured against predicted)");
        console.println("  log         " + out.resolve("demo.log") + "  (every command's own output)");
        console.println();
        for (String sweep : List.of("chat-t4", "batch-t4", "chat-a100")) {
            console.println("  " + verdict(out.resolve("sweeps").resolve(sweep).resolve("analysis.json")));
        }
        console.flush();
    }

    private static String verdict(Path analysis) throws IOException {
        JsonNode root = JSON.readTree(analysis.toFile());
        JsonNode gpu = root.path("groups").path(0).path("gpu");
        String prefix = gpu.isMissingNode() || gpu.isNull() ? "" : "[" + gpu.asText() + "] ";
        return prefix + root.path("verdict").asText();
    }
}
