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

    private FakeKubelet kubelet;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

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
                "--poll", "20ms", "--concurrency", "1,2", "--requests", "6", "--no-progress"));
        args.addAll(List.of(extra));
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
        return threads.submit(() -> {
            kubelet.awaitPod(unit + "-server");
            kubelet.ready(unit + "-server", "INFO Starting vLLM API server\n" + KV_LINE + "\n");
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
}
