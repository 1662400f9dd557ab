package dev.headroom.cli;

import dev.headroom.fleet.Cluster;
import dev.headroom.fleet.FleetSpec;
import dev.headroom.fleet.FleetStudy;
import dev.headroom.fleet.GpuPool;
import dev.headroom.fleet.Labels;
import dev.headroom.fleet.Manifests;
import dev.headroom.fleet.Parallelism;
import dev.headroom.fleet.Unit;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.sweep.GridSpec;
import dev.headroom.sweep.ServeVariant;
import dev.headroom.sweep.SimSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** {@code sweep --kubernetes}: the options of a fleet study, parsed here and handed to {@code fleet}. */
public final class KubernetesOptions {

    @Option(names = "--kubernetes", description = {"Run each server config on each --gpu-class as Kubernetes workloads (a server pod,",
            "the load Job of headroom beside it); records come back into --out/<class>/, one sweep folder per class (docs/kubernetes.md)."})
    boolean kubernetes;

    @Option(names = "--namespace", paramLabel = "NS", description = "With --kubernetes: the namespace (default: the kubeconfig's).")
    String namespace;

    @Option(names = "--gpu-class", paramLabel = "CLASS=LABEL=VALUE,...",
            description = {"With --kubernetes: each GPU class and the label its nodes carry, e.g.",
                    "t4=nvidia.com/gpu.product=Tesla-T4 (docs/kubernetes.md)"})
    String gpuClasses;

    @Option(names = "--parallel", paramLabel = "N|auto",
            description = {"With --kubernetes: configs served at once (default: the GPUs the namespace's quota leaves free, else 1;",
                    "auto: the GPUs free on the classes' nodes, which needs the optional ClusterRole of docs/kubernetes.md)."})
    String parallel;

    @Option(names = "--dry-run", description = "With --kubernetes: print the manifests, create nothing.")
    boolean dryRun;

    @Option(names = "--clean", paramLabel = "STUDY", description = "With --kubernetes: delete every object of the study STUDY, and nothing else.")
    String clean;

    @Option(names = "--server-image", paramLabel = "IMAGE",
            description = "With --kubernetes: the server's image (default " + FleetSpec.VLLM_IMAGE + "; --server sim: --headroom-image).")
    String serverImage;

    @Option(names = "--headroom-image", paramLabel = "IMAGE", defaultValue = FleetSpec.HEADROOM_IMAGE,
            description = "With --kubernetes: headroom's image, for the load Job (default: ${DEFAULT-VALUE}; ./build jib:build makes it).")
    String headroomImage;

    @Option(names = "--hf-token-secret", paramLabel = "SECRET",
            description = "With --kubernetes: a Secret whose key 'token' holds a Hugging Face token (HF_TOKEN of the server; never read by headroom).")
    String hfTokenSecret;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "With --kubernetes: how often the coordinator reads its pods' and Jobs' state (default: ${DEFAULT-VALUE}).")
    Duration poll;

    /** The sweep's options the load Job does not take: the coordinator's, the servers' and the simulator's. */
    private static final Set<String> NOT_FOR_LOAD = Set.of("--url", "--out", "--no-progress", "--resume", "--offline",
            "--serve", "--serve-grid", "--serve-base", "--server", "--startup-timeout", "--server-gpu");

    boolean cleaning() {
        return kubernetes && clean != null;
    }

    boolean requested() {
        return kubernetes;
    }

    /** {@code --clean STUDY}: deletes the study's labelled objects; prints how many there were. */
    int clean(PrintWriter out) {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            return clean(client, out);
        } catch (KubernetesClientException e) {
            throw apiError(e);
        }
    }

    private int clean(KubernetesClient client, PrintWriter out) {
        Cluster cluster = new Cluster(client, namespace(client));
        Map<String, String> labels = Labels.study(clean);
        int n = cluster.count(labels);
        cluster.delete(labels);
        out.println("Deleted " + n + " object(s) of study " + clean + " in namespace " + namespace(client));
        return 0;
    }

    /** Runs (or with --dry-run prints) the study. */
    int sweep(CommandSpec spec, GridSpec grid, List<ServeVariant> variants, SimSettings sim, String server,
              Duration startupTimeout, Path dir, Map<String, Object> inputs, boolean resume) throws Exception {
        if (variants.isEmpty()) {
            throw new Errors.UserError("--kubernetes runs server configs: give --serve a.yaml,b.yaml or --serve-grid");
        }
        List<String> loadArgs = loadArgs(spec);
        PrintWriter out = spec.commandLine().getOut();
        Parallelism.check(parallel);
        if (dryRun) {
            FleetSpec fleet = fleetSpec(dir, server, startupTimeout, namespace == null ? "default" : namespace,
                    new Parallelism.Decision(1, "a dry run"));
            Manifests manifests = new Manifests(fleet);
            for (Unit u : FleetStudy.units(fleet, variants)) out.print(Manifests.yaml(manifests.all(u, loadArgs)));
            out.flush();
            return 0;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build(); SignalStop signal = SignalStop.install()) {
            return run(client, signal, spec, grid, variants, sim, server, startupTimeout, dir, inputs, resume, loadArgs);
        } catch (KubernetesClientException e) {
            throw apiError(e);
        }
    }

    private int run(KubernetesClient client, SignalStop signal, CommandSpec spec, GridSpec grid, List<ServeVariant> variants,
                    SimSettings sim, String server, Duration startupTimeout, Path dir, Map<String, Object> inputs,
                    boolean resume, List<String> loadArgs) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String ns = namespace(client);
        FleetSpec.ServerKind kind = serverKind(server);
        List<GpuPool> pools = GpuPool.parseAll(gpuClasses);
        Parallelism.Decision parallelism = Parallelism.decide(parallel, kind, pools, variants.size() * pools.size(),
                client, ns, line -> err.println("headroom: " + line));
        FleetSpec fleet = fleetSpec(dir, server, startupTimeout, ns, parallelism);
        err.println("headroom: fleet study " + fleet.study() + ": " + variants.size() + " config(s) x "
                + fleet.pools().size() + " GPU class(es) in namespace " + fleet.namespace() + ", " + fleet.parallel()
                + " at once (" + parallelism.why() + ")");
        List<FleetStudy.ClassOutcome> outcomes = new FleetStudy(fleet, new Cluster(client, fleet.namespace()), grid,
                loadArgs, err, signal::signalled).run(variants, dir, "sweep --kubernetes", inputs, resume, sim);
        boolean ok = true;
        for (FleetStudy.ClassOutcome o : outcomes) {
            out.println("Sweep results for " + o.pool().name() + " in " + o.dir()
                    + ": capacity.csv, configs.csv, sweep.json, points/");
            if (o.outcome().line() != null) err.println("headroom: " + o.pool().name() + ": " + o.outcome().line());
            ok &= !o.outcome().interrupted() && !o.outcome().failed();
        }
        out.flush();
        err.flush();
        return ok ? 0 : Errors.FAILURE;
    }

    /**
     * The cluster's API refused or could not be reached: one line with the API's own words; what came back before
     * is on disk (each config is recorded as it ends).
     */
    private static Errors.UserError apiError(KubernetesClientException e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String why = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
        return new Errors.UserError("the Kubernetes API: " + why.lines().findFirst().orElse(why)
                + "; check the kubeconfig's cluster and the Role of docs/kubernetes.md", Errors.FAILURE);
    }

    private static FleetSpec.ServerKind serverKind(String server) {
        return switch (server == null ? "vllm" : server.strip()) {
            case "vllm" -> FleetSpec.ServerKind.VLLM;
            case "sim" -> FleetSpec.ServerKind.SIM;
            default -> throw new Errors.UserError("--server '" + server + "': with --kubernetes the server is vllm "
                    + "(its official image) or sim (headroom's simulator, for a cluster without GPUs)");
        };
    }

    private FleetSpec fleetSpec(Path dir, String server, Duration startupTimeout, String ns, Parallelism.Decision parallelism) {
        FleetSpec.ServerKind kind = serverKind(server);
        String image = serverImage != null ? serverImage : kind == FleetSpec.ServerKind.SIM ? headroomImage : FleetSpec.VLLM_IMAGE;
        List<GpuPool> pools = GpuPool.parseAll(gpuClasses);
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new FleetSpec(FleetSpec.studyName(name == null ? "study" : name.toString()), ns, pools, kind, image,
                headroomImage, hfTokenSecret, parallelism.configs(), startupTimeout == null ? Duration.ofMinutes(20) : startupTimeout,
                poll);
    }

    private String namespace(KubernetesClient client) {
        if (namespace != null) return namespace;
        return client.getNamespace() == null ? "default" : client.getNamespace();
    }

    /**
     * The load Job's options: those of the sweep the user gave, as given, but the coordinator's, the servers' and
     * the simulator's; a file on this machine (a dataset, a trace) does not reach the pod, so it is refused.
     */
    static List<String> loadArgs(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Set<OptionSpec> sweepOwn = Set.copyOf(spec.options());
        Set<OptionSpec> simulated = Set.copyOf(spec.mixins().get("simulated").options());
        Set<OptionSpec> fleet = Set.copyOf(spec.mixins().get("kubernetes").options());
        List<String> args = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            if (!sweepOwn.contains(o) || simulated.contains(o) || fleet.contains(o) || NOT_FOR_LOAD.contains(o.longestName())
                    || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            if (o.longestName().equals("--trace") || o.longestName().equals("--workload")
                    && o.originalStringValues().stream().anyMatch(v -> v.contains("dataset:"))) {
                throw new Errors.UserError(o.longestName() + " names a file on this machine, which the load pod cannot "
                        + "read; a fleet study takes chat, summarize and random workloads");
            }
            if (o.arity().max() == 0) {
                args.add(o.longestName());
            } else {
                for (String v : o.originalStringValues()) args.addAll(List.of(o.longestName(), v));
            }
        }
        return args;
    }
}
