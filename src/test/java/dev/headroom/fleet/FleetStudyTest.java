package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.cli.Headroom;
import dev.headroom.results.CsvTable;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sweep --kubernetes} end to end against fabric8's mock API server in CRUD mode, with {@link FakeKubelet}
 * moving the pods: records back in per-class sweep folders, every failure class a configs.csv row with its cause,
 * resume after the coordinator is killed, and nothing labelled left behind.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FleetStudyTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path tmp;

    FakeKubelet kubelet;
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void pointTheClientAtTheMock() {
        System.setProperty("kubernetes.master", server.url("/"));
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.trust.certificates", "true");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", FakeKubelet.NS);
        kubelet = new FakeKubelet(server, client, tmp);
    }

    @AfterEach
    void forgetTheMock() {
        threads.shutdownNow();
        for (String p : List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig", "kubernetes.trust.certificates", "kubernetes.auth.tryServiceAccount",
                "kubernetes.namespace")) {
            System.clearProperty(p);
        }
    }

    static final String GPU_CLASSES = "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4,"
            + "a100-40gb=cloud.google.com/gke-accelerator=nvidia-tesla-a100";
    static final String KV_LINE = "(EngineCore_DP0 pid=7) INFO 07-30 11:56:04 [kv_cache_utils.py:1087] GPU KV cache size: 123,456 tokens";

    /** The CLI's exit code, its standard output and its standard error. */
    record Run(int exit, String out, String err) {}

    Path config(String name, String yaml) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, "model: Qwen/Qwen2.5-1.5B-Instruct\n" + yaml);
        return f;
    }

    Future<Run> sweep(String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--kubernetes", "--namespace", FakeKubelet.NS,
                "--poll", "20ms"));
        args.addAll(List.of(extra));
        if (!args.contains("--concurrency")) args.addAll(List.of("--concurrency", "1,2", "--requests", "6", "--no-progress"));
        CompletableFuture<Run> run = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Headroom.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args.toArray(String[]::new));
            run.complete(new Run(exit, out.toString(), err.toString()));
        }, "coordinator");
        t.start();
        return new Coordinator(t, run);
    }

    /** The coordinator's thread, so a test can kill it. */
    static final class Coordinator extends CompletableFuture<Run> {
        final Thread thread;

        Coordinator(Thread thread, CompletableFuture<Run> run) {
            this.thread = thread;
            run.whenComplete((r, e) -> {
                if (e != null) completeExceptionally(e);
                else complete(r);
            });
        }
    }

    /** Waits for the kubelet's work and then the coordinator; a coordinator that ended first shows its console. */
    static Run finish(Future<Run> run, List<Future<?>> driven) throws Exception {
        for (Future<?> f : driven) {
            try {
                f.get(3, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (run.isDone()) throw new AssertionError("the coordinator ended: " + run.get(), e);
                throw e;
            }
        }
        return run.get(3, TimeUnit.MINUTES);
    }

    static List<String> column(List<Map<String, String>> rows, String key) {
        return rows.stream().map(r -> r.getOrDefault(key, "")).toList();
    }

    /** Drives one config on one class: ready with vLLM's KV line in its log, then the load Job run. */
    Future<?> serveAndLoad(String unit) {
        return serveAndLoad(unit, "INFO Starting vLLM API server\n" + KV_LINE + "\n");
    }

    /** Drives one config on one class: ready with {@code log} as its log, then the load Job run. */
    Future<?> serveAndLoad(String unit, String log) {
        return threads.submit(() -> {
            kubelet.awaitPod(unit + "-server");
            kubelet.ready(unit + "-server", log);
            kubelet.runLoad(kubelet.awaitJob(unit + "-load"));
            return null;
        });
    }

    @Test
    void twoClassesTwoConfigsComeBackAsOneSweepFolderPerClassAndLeaveNothing() throws Exception {
        Path a = config("seqs8", "max_num_seqs: 8\n");
        Path b = config("seqs16", "max_num_seqs: 16\n");
        Path out = tmp.resolve("study");
        Future<Run> run = sweep("--gpu-class", GPU_CLASSES, "--parallel", "2", "--serve", a + "," + b, "--out", out.toString());
        List<Future<?>> driven = new ArrayList<>();
        for (String u : List.of("hr-study-t4-0", "hr-study-t4-1", "hr-study-a100-40gb-0", "hr-study-a100-40gb-1")) {
            driven.add(serveAndLoad(u));
        }
        Run r = finish(run, driven);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("fleet study study: 2 config(s) x 2 GPU class(es) in namespace lab, 2 at once (--parallel)");
        for (String gpu : List.of("t4", "a100-40gb")) {
            Path sweep = out.resolve(gpu);
            List<Map<String, String>> capacity = CsvTable.read(sweep.resolve("capacity.csv"));
            assertThat(capacity).hasSize(4);
            assertThat(column(capacity, "config")).containsExactly("seqs8", "seqs8", "seqs16", "seqs16");
            assertThat(column(capacity, "status")).containsOnly("ok");
            assertThat(column(capacity, "gpu")).containsOnly(gpu);
            for (String point : List.of("points/seqs8/chat-c1", "points/seqs16/chat-c2")) {
                assertThat(sweep.resolve(point).resolve("requests.jsonl")).isNotEmptyFile();
                assertThat(sweep.resolve(point).resolve("summary.json")).isNotEmptyFile();
                assertThat(sweep.resolve(point).resolve("telemetry.csv")).isNotEmptyFile();
            }
            assertThat(Files.readAllLines(sweep.resolve("points/seqs8/chat-c2/requests.jsonl"))).hasSize(6);
            assertThat(sweep.resolve("servers/seqs16/server.log")).content().contains("GPU KV cache size: 123,456 tokens");
            List<Map<String, String>> configs = CsvTable.read(sweep.resolve("configs.csv"));
            assertThat(column(configs, "status")).containsExactly("ran", "ran");
            assertThat(column(configs, "reported_kv_cache_tokens")).containsOnly("123456");
            assertThat(column(configs, "command")).allMatch(c -> c.startsWith("vllm serve --config /etc/headroom/config.yaml"));
        }
        assertThat(new Cluster(client, FakeKubelet.NS).count(Labels.study("study"))).isZero();
    }

    @Test
    void everyKubernetesFailureIsAConfigsRowWithItsCauseAndTheStudyGoesOn() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("nogpu", "badimage", "hostoom", "cudaoom", "slow", "fine")) {
            files.add(config(name, "max_num_seqs: " + (8 + files.size()) + "\n"));
        }
        Path out = tmp.resolve("fails");
        Future<Run> run = sweep("--gpu-class", "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4",
                "--startup-timeout", "15s", "--serve", String.join(",", files.stream().map(Path::toString).toList()),
                "--out", out.toString());
        Future<?> driven = threads.submit(() -> {
            String unit = "hr-fails-t4-";
            kubelet.awaitPod(unit + "0-server");
            kubelet.unschedulable(unit + "0-server", "0/2 nodes are available: 1 Insufficient nvidia.com/gpu, "
                    + "1 node(s) didn't match Pod's node affinity/selector.");
            kubelet.awaitPod(unit + "1-server");
            kubelet.imagePullBackOff(unit + "1-server");
            kubelet.awaitPod(unit + "2-server");
            kubelet.oomKilled(unit + "2-server");
            kubelet.awaitPod(unit + "3-server");
            kubelet.crashLoop(unit + "3-server", "INFO Loading weights\n(EngineCore_DP0 pid=9) ERROR 07-30 11:56:04 "
                    + "[core.py:708] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
            kubelet.awaitPod(unit + "4-server");
            kubelet.neverReady(unit + "4-server");
            kubelet.awaitPod(unit + "5-server");
            kubelet.ready(unit + "5-server", KV_LINE + "\n");
            kubelet.runLoad(kubelet.awaitJob(unit + "5-load"));
            return null;
        });
        Run r = finish(run, List.of(driven));

        List<Map<String, String>> configs = CsvTable.read(out.resolve("t4/configs.csv"));
        assertThat(column(configs, "config")).containsExactly("nogpu", "badimage", "hostoom", "cudaoom", "slow", "fine");
        assertThat(column(configs, "status")).containsExactly("failed_to_start", "failed_to_start", "failed_to_start",
                "failed_to_start", "failed_to_start", "ran");
        assertThat(column(configs, "failure")).containsExactly("unschedulable", "image_pull", "oom_killed",
                "out_of_memory", "health_timeout", "");
        // The cluster's failures say nothing of vLLM's start-up, so nothing of the planner's prediction either.
        assertThat(column(configs, "disagreement").subList(0, 3)).containsOnly("");
        assertThat(configs.get(3).get("disagreement")).isEqualTo("planner predicted a start; the server ran out of memory");
        assertThat(configs.get(0).get("message")).contains("Insufficient nvidia.com/gpu");
        assertThat(configs.get(1).get("message")).startsWith("ImagePullBackOff");
        assertThat(configs.get(2).get("message")).contains("OOMKilled").contains("137");
        // vLLM's own words from the crashed container's log, without its log prefix.
        assertThat(configs.get(3).get("message")).isEqualTo("CrashLoopBackOff: torch.OutOfMemoryError: CUDA out of memory. "
                + "Tried to allocate 2.00 GiB");
        assertThat(out.resolve("t4/servers/cudaoom/server.log")).content().contains("CUDA out of memory");
        assertThat(configs.get(4).get("message")).contains("not ready within 15 s");
        assertThat(column(CsvTable.read(out.resolve("t4/capacity.csv")), "config")).containsOnly("fine");
        assertThat(r.err()).contains("nogpu on t4: failed_to_start (unschedulable)");
        assertThat(new Cluster(client, FakeKubelet.NS).count(Labels.study("fails"))).isZero();
    }

    @Test
    void aServerKilledWhileLoadedDiedUnderLoadAndItsPointsStillComeBack() throws Exception {
        Path a = config("tight", "max_num_seqs: 8\n");
        Path out = tmp.resolve("died");
        Future<Run> run = sweep("--gpu-class", "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4", "--serve",
                a.toString(), "--out", out.toString());
        Future<?> driven = threads.submit(() -> {
            kubelet.awaitPod("hr-died-t4-0-server");
            kubelet.ready("hr-died-t4-0-server", KV_LINE + "\n");
            Job job = kubelet.awaitJob("hr-died-t4-0-load");
            kubelet.oomKilled("hr-died-t4-0-server");
            kubelet.runLoad(job);
            return null;
        });
        finish(run, List.of(driven));

        List<Map<String, String>> configs = CsvTable.read(out.resolve("t4/configs.csv"));
        assertThat(column(configs, "status")).containsExactly("died_under_load");
        assertThat(column(configs, "failure")).containsExactly("oom_killed");
        assertThat(column(CsvTable.read(out.resolve("t4/capacity.csv")), "config")).containsExactly("tight", "tight");
    }

    @Test
    void aKilledCoordinatorIsResumedByItsJobsLabelsWithoutStartingTheConfigAgain() throws Exception {
        Path a = config("only", "max_num_seqs: 8\n");
        Path out = tmp.resolve("resumed");
        String[] args = {"--gpu-class", "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4", "--serve", a.toString(),
                "--out", out.toString()};
        Coordinator first = (Coordinator) sweep(args);
        kubelet.awaitPod("hr-resumed-t4-0-server");
        kubelet.ready("hr-resumed-t4-0-server", KV_LINE + "\n");
        Job job = kubelet.awaitJob("hr-resumed-t4-0-load");
        first.thread.interrupt();
        assertThat(first.get(1, TimeUnit.MINUTES).exit()).isNotZero();
        Cluster cluster = new Cluster(client, FakeKubelet.NS);
        assertThat(cluster.jobs(Labels.study("resumed"))).hasSize(1);

        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // The first coordinator's requests: only the second one's are looked at below.
        }
        List<String> again = new ArrayList<>(List.of(args));
        again.add("--resume");
        Future<Run> second = sweep(again.toArray(String[]::new));
        // The load Job the killed coordinator started finishes while no coordinator watches.
        kubelet.runLoad(job);
        Run r = finish(second, List.of());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("1 at once (--parallel's default; no GPU quota in namespace lab)");
        assertThat(column(CsvTable.read(out.resolve("t4/capacity.csv")), "status")).containsExactly("ok", "ok");
        assertThat(column(CsvTable.read(out.resolve("t4/configs.csv")), "status")).containsExactly("ran");
        List<String> created = new ArrayList<>();
        for (var req = server.takeRequest(1, TimeUnit.MILLISECONDS); req != null; req = server.takeRequest(1, TimeUnit.MILLISECONDS)) {
            if (req.getMethod().equals("POST")) created.add(req.getPath());
        }
        // The kubelet's pod for the Job is the one object created: no server, ConfigMap, Service or Job again.
        assertThat(created).containsExactly("/api/v1/namespaces/lab/pods");
        assertThat(cluster.count(Labels.study("resumed"))).isZero();
    }

    @Test
    void cleanDeletesEveryObjectOfTheStudyAndNothingElse() throws Exception {
        FleetSpec spec = new FleetSpec("old", FakeKubelet.NS, GpuPool.parseAll(GPU_CLASSES), FleetSpec.ServerKind.VLLM,
                FleetSpec.VLLM_IMAGE, FleetSpec.HEADROOM_IMAGE, null, 1, java.time.Duration.ofMinutes(1),
                java.time.Duration.ofSeconds(1));
        FleetSpec other = new FleetSpec("other", FakeKubelet.NS, spec.pools(), spec.server(), spec.serverImage(),
                spec.headroomImage(), null, 1, spec.startupTimeout(), spec.poll());
        dev.headroom.sweep.ServeVariant v = new dev.headroom.sweep.ServeVariant("seqs8", Map.of("max_num_seqs", 8), null);
        Cluster cluster = new Cluster(client, FakeKubelet.NS);
        for (Unit u : FleetStudy.units(spec, List.of(v))) {
            for (var o : new Manifests(spec).all(u, List.of("--concurrency", "1"))) cluster.createIfAbsent(o);
        }
        Unit kept = FleetStudy.units(other, List.of(v)).get(0);
        cluster.createIfAbsent(new Manifests(other).configMap(kept));
        assertThat(cluster.count(Labels.study("old"))).isEqualTo(8);

        StringWriter out = new StringWriter();
        CommandLine cli = Headroom.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("sweep", "--kubernetes", "--namespace", FakeKubelet.NS, "--clean", "old");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Deleted 8 object(s) of study old");
        assertThat(cluster.count(Labels.study("old"))).isZero();
        assertThat(cluster.count(Labels.study("other"))).isEqualTo(1);
    }

    @Test
    void anApiThatCannotBeReachedIsOneLineNamingItNotAnInternalError() {
        System.setProperty("kubernetes.master", "https://127.0.0.1:1/");
        System.setProperty("kubernetes.request.retry.backoffLimit", "0");
        try {
            StringWriter err = new StringWriter();
            CommandLine cli = Headroom.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("sweep", "--kubernetes", "--clean", "gone");

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).startsWith("headroom: the Kubernetes API: ").doesNotContain("internal error")
                    .hasLineCount(1);
        } finally {
            System.clearProperty("kubernetes.request.retry.backoffLimit");
        }
    }
}
