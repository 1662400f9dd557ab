package dev.headroom.cli;

import dev.headroom.metrics.GpuMetrics;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointError;
import dev.headroom.pipeline.PointEvents;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.sweep.ConfigSweep;
import dev.headroom.sweep.DefaultTarget;
import dev.headroom.sweep.GridSpec;
import dev.headroom.sweep.LaunchedConfig;
import dev.headroom.sweep.LoadGrid;
import dev.headroom.sweep.PredictedConfig;
import dev.headroom.sweep.ServeGrid;
import dev.headroom.sweep.ServeVariant;
import dev.headroom.sweep.ServerLauncher;
import dev.headroom.sweep.ServerLaunchers;
import dev.headroom.sweep.SimSettings;
import dev.headroom.sweep.SweepFolder;
import dev.headroom.sweep.SweepLedger;
import dev.headroom.sweep.SweepOutcome;
import dev.headroom.sweep.SweepProgress;
import dev.headroom.workload.LoadPattern;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom sweep}: a grid of load points per workload; writes capacity.csv, sweep.json and one run folder per point. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of load points, and of server configs, and write capacity.csv: the capacity study's data.",
                "Workloads x --concurrency and/or --rate levels x --repeat against one target: --url, else the embedded",
                "simulator (started once), or --offline on the simulator's virtual clock; --serve/--serve-grid start a server per config.",
                "Writes capacity.csv (a row per point as it ends), sweep.json and points/<config>/<workload>-c<N>/ run folders.",
                "Without --slo each workload is judged by the serving playbook: chat (and random, dataset) p95 E2E < 1500 ms,",
                "summarize p95 E2E < 5000 ms. Early stop: a workload's ramp stops after 2 consecutive load levels whose SLO",
                "percentile is above 2x its target, or once a level's error rate passes --max-error-rate (--no-early-stop: never).",
                "Server configs (--serve a.yaml,b.yaml or --serve-grid over --serve-base): each is started by --server (default: the",
                "simulator), loaded with the grid and stopped by its pid; configs.csv maps which started, failed to start (vLLM's",
                "message) or died under load, beside the planner's prediction. With --offline the planner decides instead."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Mixin
    SimulatedTarget simulated;

    @Mixin
    KubernetesOptions kubernetes;

    @Option(names = "--workload", defaultValue = "chat", description = "Workloads, comma-separated: chat, summarize, random, dataset:PATH (default: ${DEFAULT-VALUE}).")
    String workloads;

    @Option(names = "--concurrency", paramLabel = "LIST", description = "Closed-loop levels, or the caps of --rate: 1,2,4 or 1..256x2.")
    String concurrency;

    @Option(names = "--rate", paramLabel = "LIST", description = "Open-loop arrival rates per second: 1,2,4 or 2..20+2.")
    String rate;

    @Option(names = "--repeat", defaultValue = "1", description = "Runs per load point, for confidence (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--resume", description = "Continue the sweep in --out: keep finished points, run the rest.")
    boolean resume;

    @Option(names = "--offline", description = "Predict the same grid on the simulator's virtual clock (same files, predicted=true).")
    boolean offline;

    @Option(names = "--no-early-stop", description = "Run every load level even when the SLO is clearly broken.")
    boolean noEarlyStop;

    @Option(names = "--serve", paramLabel = "A.yaml,B.yaml",
            description = "Server configs to start one after another (vLLM --config YAMLs); the grid runs against each.")
    String serve;

    @Option(names = "--serve-grid", paramLabel = "GRID",
            description = "A grid of server configs over --serve-base, e.g. 'max_num_seqs=64,128;max_model_len=4096,8192'.")
    String serveGrid;

    @Option(names = "--serve-base", paramLabel = "FILE", description = "vLLM --config YAML under every config of --serve/--serve-grid.")
    Path serveBase;

    @Option(names = "--server", paramLabel = "KIND|COMMAND",
            description = "What serves each config: sim (the embedded simulator; the default), vllm, llama-server, sglang, "
                    + "or a command with {config} and {port}, e.g. './headroom sim --config {config} --port {port}'.")
    String server;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long each started server may take to answer /health (default 10m).")
    Duration startupTimeout;

    @Option(names = "--server-gpu", paramLabel = "GPU",
            description = {"With --url, or --server llama-server/sglang: what the server runs on, a GPU (t4, l4, a10g, a100-40gb, h100, ...) or any other label",
                    "(cpu, m2-max), written to capacity.csv so reports and the playbook name its class; nothing is simulated."})
    String serverGpu;

    @Option(names = "--scrape-interval", defaultValue = "500ms", converter = Durations.class,
            description = "How often the server's /metrics is sampled during a point (default: ${DEFAULT-VALUE}).")
    Duration scrapeInterval;

    @Override
    public Integer call() throws Exception {
        if (kubernetes.cleaning()) return kubernetes.clean(spec.commandLine().getOut());
        checkTargets();
        GridSpec grid = grid();
        List<ServeVariant> variants = ServeGrid.variants(serve, serveBase, serveGrid);
        SimSettings sim = new SimSettings(simulated.serve.gpuSpec(Gpu.T4), simulated.serve.version(), simulated.calibration(),
                options.model != null ? options.model : SimLauncher.DEFAULT_MODEL);
        if (kubernetes.requested()) {
            return kubernetes.sweep(spec, grid, variants, sim, server, startupTimeout, options.outDir("sweep"),
                    inputs(grid, sim), resume);
        }
        if (server != null && variants.isEmpty()) {
            throw new Errors.UserError("--server starts the configs of --serve, --serve-grid or --serve-base; give one of them");
        }
        ServerLauncher launcher = variants.isEmpty() || offline ? null
                : ServerLaunchers.of(server == null ? "sim" : server, sim, startupTimeout);
        if (launcher != null) ServerLaunchers.requireProgram(server == null ? "sim" : server);
        if (options.url != null) {
            try {
                DefaultTarget.requireReachable(options.url);
            } catch (PointError e) {
                throw new Errors.UserError(e.getMessage(), Errors.USAGE);
            }
        }
        Path dir = options.outDir("sweep");
        GpuMetrics gpu = options.gpuMetrics(offline || options.url == null && (server == null || server.strip().equals("sim")));
        PrintWriter err = spec.commandLine().getErr();
        String command = offline ? "sweep --offline" : "sweep";
        try (SignalStop signal = SignalStop.install();
             SweepFolder folder = SweepFolder.open(dir, command, inputs(grid, sim), resume)) {
            SweepProgress progress = new SweepProgress(err, grid, Math.max(1, variants.size()));
            PointContext ctx = new PointContext(dir, command, warnings(err), signal, scrapeInterval, gpu);
            String servedModel = variants.isEmpty() ? options.model : null;
            LoadGrid loads = new LoadGrid(grid, folder, ctx, new LoadGrid.Client(servedModel, options.headers(),
                    options.apiKeyEnv), progress);
            boolean alive = variants.isEmpty() ? runDefault(loads, folder)
                    : runConfigs(variants, launcher, new SweepLedger(folder, grid, progress), loads, sim, signal, dir);
            return report(dir, alive, folder.finish(signal.signalled()));
        } catch (PointError e) {
            throw new Errors.UserError(e.getMessage(), e.kind() == PointError.Kind.UNREACHABLE ? Errors.USAGE : Errors.FAILURE);
        }
    }

    /** One line for options that contradict the target: --offline or --url beside what starts or simulates servers. */
    private void checkTargets() {
        boolean configs = serve != null || serveGrid != null || serveBase != null;
        if (kubernetes.requested() && (offline || options.url != null || serverGpu != null || simulated.serve.gpu != null)) {
            throw new Errors.UserError("--kubernetes starts each config on each --gpu-class; it takes no --offline, --url, "
                    + "--server-gpu or --gpu (name the GPUs with --gpu-class)");
        }
        if (offline && options.url != null) throw new Errors.UserError("--offline simulates the server; it takes no --url");
        if (options.url != null && (configs || server != null || startupTimeout != null)) {
            throw new Errors.UserError("--serve, --serve-grid, --serve-base, --server and --startup-timeout start servers; "
                    + "a sweep at --url measures the server already there (drop them, or drop --url)");
        }
        if (options.url != null && simulated.anyGiven()) {
            throw new Errors.UserError("--gpu, --calibration, --config and the vLLM serving flags describe a simulated "
                    + "target; a server at --url runs with its own settings (drop them, or name its GPU with --server-gpu)");
        }
        if (serverGpu != null) {
            boolean notVllm = server != null && !offline && !ServerLaunchers.servesVllm(server);
            if (options.url == null && !notVllm) {
                throw new Errors.UserError("--server-gpu names the hardware of a server headroom does not model: one at "
                        + "--url, or one started by --server llama-server or sglang; vLLM and the simulator take --gpu");
            }
            if (serverGpu.isBlank()) {
                throw new Errors.UserError("--server-gpu is empty; name the server's hardware class: a GPU (" + Gpu.names()
                        + "), cpu, or any label");
            }
            try {
                serverGpu = Gpu.parse(serverGpu).id();
            } catch (IllegalArgumentException notInTheCatalog) {
                // Any class of server may be named (cpu, a GPU headroom does not model): the label is kept as given.
                serverGpu = serverGpu.strip();
            }
        }
        if (offline && server != null && !server.strip().equals("sim")) {
            throw new Errors.UserError("--server '" + server + "': --offline predicts every config on the simulator and "
                    + "starts no server (drop --server, or drop --offline)");
        }
        if (configs && !simulated.serve.flags(null).equals(ServeFlags.NONE)) {
            throw new Errors.UserError("--config and the vLLM serving flags set the default config; with --serve or "
                    + "--serve-grid put them in the config files or --serve-base (the sweep keeps --gpu, --vllm-version, "
                    + "--calibration and --model)");
        }
    }

    private GridSpec grid() {
        List<String> names = Arrays.stream(workloads.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) throw new IllegalArgumentException("--workload '" + workloads + "' names no workload");
        LoadPoint base = options.loadPoint(names.get(0), LoadPattern.closedLoop(1), options.slo());
        for (String w : names) base.with(w, base.pattern()).parsedWorkload();
        List<Integer> levels = concurrency == null ? List.of() : NumberLists.integers("--concurrency", concurrency);
        List<Double> rates = rate == null ? List.of() : NumberLists.doubles("--rate", rate);
        return new GridSpec(base, names, levels, rates, options.burstiness, repeat, options.slo(), !noEarlyStop);
    }

    private boolean runDefault(LoadGrid loads, SweepFolder folder) throws Exception {
        if (options.url != null) return DefaultTarget.url(loads, folder, options.url, serverGpu);
        ServingSetup setup = simulated.setup(options.model);
        PrintWriter err = spec.commandLine().getErr();
        if (offline) {
            err.println(SimulatedTarget.headline(setup, "offline simulation (virtual clock)"));
            return DefaultTarget.offline(loads, folder, setup,
                    options.model != null ? options.model : SimLauncher.DEFAULT_MODEL, simulated.calibration());
        }
        err.println(SimulatedTarget.headline(setup, "embedded simulator (no --url given)")
                + "; its log is servers/default/server.log");
        return DefaultTarget.embedded(loads, folder, setup, options.model, simulated.calibration());
    }

    private boolean runConfigs(List<ServeVariant> variants, ServerLauncher launcher, SweepLedger ledger, LoadGrid loads,
                               SimSettings sim, SignalStop signal, Path dir) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String where = offline ? "predicted on the virtual clock"
                : "started by --server " + (server == null ? "sim" : server) + ", logs in servers/<config>/server.log";
        if (offline || launcher.servesVllm()) {
            err.println(String.format(Locale.ROOT, "headroom: %d server config(s) %s; planner: %s, vLLM %s; configs.csv "
                    + "holds each config's outcome beside the planner's prediction", variants.size(), where,
                    sim.gpu().deviceName(), sim.version()));
        } else {
            err.println(String.format(Locale.ROOT, "headroom: %d server config(s) %s; the planner models vLLM's start-up, "
                    + "not this server's, so configs.csv holds each config's outcome without a prediction", variants.size(),
                    where));
        }
        ConfigSweep.ConfigRun runner = offline ? new PredictedConfig(loads, sim)
                : new LaunchedConfig(launcher, loads, dir);
        new ConfigSweep(runner, sim, serverGpu, ledger, line -> {
            err.println("headroom: " + line);
            err.flush();
        }, signal::signalled).run(variants);
        return true;
    }

    private Map<String, Object> inputs(GridSpec grid, SimSettings sim) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", options.url);
        m.put("offline", offline);
        m.put("api", options.api);
        m.put("model", options.model);
        m.put("serve", serve);
        m.put("serve_grid", serveGrid);
        m.put("serve_base", serveBase == null ? null : serveBase.toString());
        m.put("server", offline || serve == null && serveGrid == null && serveBase == null ? null
                : server == null ? "sim" : server);
        m.put("startup_timeout", startupTimeout == null ? null : startupTimeout.toString());
        if (options.url == null) {
            m.put("gpu", sim.gpu().gpu().id());
            m.put("vllm_version", sim.version().toString());
        }
        m.putAll(grid.toMap());
        m.put("scrape_interval", scrapeInterval.toString());
        m.put("header_names", List.copyOf(options.headers().keySet()));
        m.put("api_key_env", options.apiKeyEnv);
        return m;
    }

    /** Prints each distinct warning once per sweep: the same words from every point would bury the progress lines. */
    private static PointEvents warnings(PrintWriter err) {
        Set<String> said = ConcurrentHashMap.newKeySet();
        return new PointEvents() {
            @Override
            public void warn(String message) {
                if (said.add(message)) err.println("headroom: warning: " + message);
            }
        };
    }

    /**
     * Prints where the results are and, for a sweep that is not complete, one last line saying what is missing;
     * exits non-zero when a signal stopped it, a server died under load, headroom failed on a point, or no point
     * ran ok (every config failed to start, or every point failed).
     */
    private int report(Path dir, boolean alive, SweepOutcome outcome) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Sweep results in " + dir + ": capacity.csv, configs.csv, sweep.json, points/");
        out.flush();
        if (outcome.line() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("headroom: " + outcome.line());
            err.flush();
        }
        return alive && !outcome.interrupted() && !outcome.failed() ? 0 : Errors.FAILURE;
    }
}
