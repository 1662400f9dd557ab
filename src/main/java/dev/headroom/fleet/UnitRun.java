package dev.headroom.fleet;

import dev.headroom.pipeline.ToolError;
import dev.headroom.sweep.ConfigOutcome;
import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import dev.headroom.sweep.PlanCheck;
import dev.headroom.sweep.StartupClassifier;
import dev.headroom.sweep.VllmStartupLog;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One config on one GPU class, run in the cluster: its ConfigMap, server pod and Service created, the server
 * awaited (ready, or failed with its cause), the load Job run beside it, its records folded into the class's
 * study folder, the server's log kept, its objects deleted. A resumed study finds the Job an earlier coordinator
 * created and waits for it instead of starting the config again.
 */
final class UnitRun {

    /** The study was stopped (a signal): this unit's objects stay for {@code --resume} or {@code --clean}. */
    static final class Stopped extends Exception {
        Stopped() {
            super("stopped");
        }
    }

    /**
     * What a unit brings back: the config's outcome and the load pod's sweep folder, unpacked, or why its records
     * could not be read (then null).
     */
    record Result(ConfigOutcome outcome, Path records, String recordsError) {}

    private final Unit unit;
    private final FleetStudy study;
    private final Path sweepDir;

    /** @param sweepDir the GPU class's sweep folder (its server logs go to {@code servers/<config>/}) */
    UnitRun(Unit unit, FleetStudy study, Path sweepDir) {
        this.unit = unit;
        this.study = study;
        this.sweepDir = sweepDir;
    }

    Result run(PlanCheck plan) throws IOException, InterruptedException, Stopped {
        Cluster cluster = study.cluster();
        boolean resumed = cluster.job(unit.loadName()) != null;
        if (!resumed) {
            Manifests m = study.manifests();
            cluster.createIfAbsent(m.configMap(unit));
            cluster.createIfAbsent(m.serverPod(unit));
            cluster.createIfAbsent(m.service(unit));
        }
        ServerState state = resumed ? new ServerState.Ready() : awaitServer();
        String label = unit.variant().label();
        if (state instanceof ServerState.Failed f) {
            keepServerLog(f.cause() == StartFailure.IMAGE_PULL || f.cause() == StartFailure.UNSCHEDULABLE ? null : true);
            cluster.delete(Labels.of(unit));
            return new Result(new ConfigOutcome(label, plan, Status.FAILED_TO_START, f.cause(), f.message(), null, null,
                    command()), null, null);
        }
        int restartsAtReady = restarts(cluster.pod(unit.serverName()));
        cluster.createIfAbsent(study.manifests().loadJob(unit, study.loadArgs()));
        String loadError = awaitLoad();
        Pod server = cluster.pod(unit.serverName());
        List<String> log = keepServerLog(false);
        VllmStartupLog figures = VllmStartupLog.parse(log, 16);
        Path records = Files.createTempDirectory("headroom-records-");
        String recordsError = loadError != null ? loadError : fetchRecords(records);
        if (recordsError != null) {
            FleetStudy.deleteTree(records);
            records = null;
        }
        ServerState after = ServerState.of(server, () -> cluster.log(unit.serverName(), true));
        cluster.delete(Labels.of(unit));
        Long kv = figures.kvCacheTokensOrNull();
        Double conc = figures.maxConcurrencyOrNull();
        ConfigOutcome outcome;
        if (after instanceof ServerState.Failed f) {
            outcome = new ConfigOutcome(label, plan, Status.DIED_UNDER_LOAD, f.cause(), f.message(), kv, conc, command());
        } else if (!resumed && restarts(server) > restartsAtReady) {
            StartupClassifier.Finding why = StartupClassifier.classify(log)
                    .filter(x -> x.cause() == StartFailure.OUT_OF_MEMORY)
                    .orElse(new StartupClassifier.Finding(StartFailure.EXITED, "the server container restarted under load"));
            outcome = new ConfigOutcome(label, plan, Status.DIED_UNDER_LOAD, why.cause(), why.message(), kv, conc, command());
        } else {
            outcome = new ConfigOutcome(label, plan, Status.RAN, null, null, kv, conc, command());
        }
        return new Result(outcome, records, recordsError);
    }

    /** Waits until the server is ready or has failed; unschedulable counts as failed once no pod of its class runs. */
    private ServerState awaitServer() throws InterruptedException, Stopped {
        long deadline = System.nanoTime() + study.spec().startupTimeout().toNanos();
        Cluster cluster = study.cluster();
        while (true) {
            if (study.stopped()) throw new Stopped();
            ServerState state = ServerState.of(cluster.pod(unit.serverName()), () -> cluster.log(unit.serverName(), true));
            switch (state) {
                case ServerState.Ready r -> {
                    return r;
                }
                case ServerState.Failed f -> {
                    return f;
                }
                // Another config of the study on this class may be holding the GPU it waits for: it frees it when done.
                case ServerState.Unschedulable u when !classBusy() -> {
                    return new ServerState.Failed(StartFailure.UNSCHEDULABLE, "Unschedulable: " + u.message());
                }
                default -> {
                    if (System.nanoTime() > deadline) {
                        return new ServerState.Failed(StartFailure.HEALTH_TIMEOUT, "the server pod was not ready "
                                + "within " + study.spec().startupTimeout().toSeconds() + " s");
                    }
                }
            }
            Thread.sleep(study.spec().poll().toMillis());
        }
    }

    /** Whether another server pod of this study and class is running (and so holds a GPU it will give back). */
    private boolean classBusy() {
        Map<String, String> labels = Labels.study(unit.study());
        labels.put(Labels.GPU_CLASS, unit.pool().name());
        labels.put(Labels.ROLE, "server");
        return study.cluster().pods(labels).stream().anyMatch(p -> !p.getMetadata().getName().equals(unit.serverName())
                && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    }

    /**
     * Waits until the load Job has ended; returns why it never ran (its image cannot be pulled, or its pod found no
     * node within the start-up timeout), or null once it ended.
     */
    private String awaitLoad() throws InterruptedException, Stopped {
        long deadline = System.nanoTime() + study.spec().startupTimeout().toNanos();
        while (true) {
            if (study.stopped()) throw new Stopped();
            Job job = study.cluster().job(unit.loadName());
            if (job != null && job.getStatus() != null && (positive(job.getStatus().getSucceeded())
                    || positive(job.getStatus().getFailed()))) {
                return null;
            }
            for (Pod pod : study.cluster().pods(Labels.of(unit, "load"))) {
                ServerState state = ServerState.of(pod, List::of);
                if (state instanceof ServerState.Failed f && f.cause() == StartFailure.IMAGE_PULL) {
                    return "load Job " + unit.loadName() + ": " + f.message();
                }
                if (state instanceof ServerState.Unschedulable u && System.nanoTime() > deadline) {
                    return "load Job " + unit.loadName() + " found no node: " + u.message();
                }
            }
            Thread.sleep(study.spec().poll().toMillis());
        }
    }

    /** Unpacks the load pod's records into {@code into}; returns why they could not be read, or null. */
    private String fetchRecords(Path into) {
        try {
            List<Pod> pods = study.cluster().pods(Labels.of(unit, "load"));
            if (pods.isEmpty()) throw new IOException("the load Job has no pod to read");
            RecordsArchive.read(study.cluster().log(pods.get(0).getMetadata().getName(), false), into);
            return null;
        } catch (IOException | RuntimeException e) {
            return "load Job " + unit.loadName() + ": " + ToolError.cause(e);
        }
    }

    /**
     * Writes the server's log to {@code servers/<config>/server.log}: the current container's, or the last run's
     * of a container that crashed; none for a pod that never ran ({@code previous} null).
     */
    private List<String> keepServerLog(Boolean previous) throws IOException {
        if (previous == null) return List.of();
        List<String> log = study.cluster().log(unit.serverName(), previous);
        Path file = sweepDir.resolve("servers").resolve(unit.variant().label()).resolve("server.log");
        Files.createDirectories(file.getParent());
        Files.write(file, log);
        return log;
    }

    /** configs.csv's {@code command}: the server container's command line, as the pod runs it. */
    private String command() {
        var c = study.manifests().serverPod(unit).getSpec().getContainers().get(0);
        List<String> words = new java.util.ArrayList<>(c.getCommand() == null ? List.of() : c.getCommand());
        words.addAll(c.getArgs());
        return String.join(" ", words);
    }

    private static int restarts(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return 0;
        return pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getRestartCount)
                .mapToInt(n -> n == null ? 0 : n).sum();
    }

    private static boolean positive(Integer n) {
        return n != null && n > 0;
    }
}
