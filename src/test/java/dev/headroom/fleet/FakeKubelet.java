package dev.headroom.fleet;

import dev.headroom.cli.Headroom;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * The test's scheduler and kubelet over fabric8's mock API server in CRUD mode: a cluster of two GPU node pools
 * where the test moves each pod Pending → Running (ready) → Succeeded/Failed, serves its log through the API, and
 * runs a load Job's own command (headroom's sweep, then its records printed) with the server it names stood in for by
 * the simulator on the virtual clock, with the ConfigMap's config on the class's GPU.
 */
final class FakeKubelet {

    static final String NS = "lab";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path work;
    private final AtomicInteger loadPods = new AtomicInteger();

    FakeKubelet(KubernetesMockServer server, KubernetesClient client, Path work) {
        this.server = server;
        this.client = client;
        this.work = work;
        node("gpu-t4-1", "nvidia-tesla-t4");
        node("gpu-a100-1", "nvidia-tesla-a100");
    }

    private void node(String name, String accelerator) {
        if (client.nodes().withName(name).get() != null) return;
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("cloud.google.com/gke-accelerator", accelerator)).endMetadata().build()).create();
    }

    /**
     * Waits (on a watch, bounded) until the server pod exists; it and its ConfigMap, created before it, are valid
     * against the Kubernetes API's schema as the API holds them.
     */
    Pod awaitPod(String name) {
        Pod pod = client.pods().inNamespace(NS).withName(name).waitUntilCondition(Objects::nonNull, 20, TimeUnit.SECONDS);
        valid(client.configMaps().inNamespace(NS).withName(name).get());
        return valid(pod);
    }

    /** Waits until the load Job exists; it and its server's Service are valid against the API's schema. */
    Job awaitJob(String name) {
        Job job = client.batch().v1().jobs().inNamespace(NS).withName(name).waitUntilCondition(Objects::nonNull, 20, TimeUnit.SECONDS);
        valid(client.services().inNamespace(NS).withName(name.replaceFirst("-load$", "-server")).get());
        return valid(job);
    }

    private static <T extends HasMetadata> T valid(T object) {
        Objects.requireNonNull(object, "an object the coordinator creates before this one");
        List<String> errors = ManifestSchema.errors(object);
        if (!errors.isEmpty()) throw new AssertionError("invalid against the Kubernetes API's schema: " + errors);
        return object;
    }

    /** Scheduled, pulled, running and ready; its log is {@code log}. */
    void ready(String pod, String log) {
        log(pod, false, log);
        status(pod, new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.7")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("server").withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .build());
    }

    /** Running but never ready. */
    void neverReady(String pod) {
        log(pod, false, "INFO Starting vLLM API server");
        status(pod, new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").endCondition().build());
    }

    void unschedulable(String pod, String message) {
        status(pod, new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage(message).endCondition().build());
    }

    void imagePullBackOff(String pod) {
        status(pod, new PodStatusBuilder().withPhase("Pending")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("server").withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"vllm/vllm-openai:v9\"").endWaiting().endState().build())
                .build());
    }

    void oomKilled(String pod) {
        status(pod, new PodStatusBuilder().withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("server").withRestartCount(1)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                        .endLastState().build())
                .build());
    }

    /** Crashed and restarted; its last run's log is {@code previousLog}. */
    void crashLoop(String pod, String previousLog) {
        log(pod, true, previousLog);
        log(pod, false, "");
        status(pod, new PodStatusBuilder().withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("server").withRestartCount(3)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated()
                        .endLastState().build())
                .build());
    }

    /**
     * Runs the load Job: creates its pod (the Job's template labels), runs the container's sweep in this process with
     * the server stood in for by the simulator on the virtual clock, serves the printed records as the pod's log,
     * and marks pod and Job succeeded.
     */
    void runLoad(Job job) throws IOException {
        runLoad(job, UnaryOperator.identity());
    }

    /** Runs the load Job as {@link #runLoad(Job)} does, its log served as {@code kubelet} leaves it (cut, rotated). */
    void runLoad(Job job, UnaryOperator<String> kubelet) throws IOException {
        // As a Job controller names its pods: the Job's name and a suffix of its own, so a pod of a Job created again
        // (a resumed study's) is another pod with another log.
        String name = job.getMetadata().getName() + "-" + loadPods.incrementAndGet();
        Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
        log(name, false, kubelet.apply(loadLog(job)));
        status(name, new PodStatusBuilder().withPhase("Succeeded").build());
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();
    }

    /** What the load container prints: the sweep's console, then its folder as {@link RecordsArchive} lines. */
    String loadLog(Job job) throws IOException {
        List<String> command = job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
        List<String> args = new ArrayList<>(command.subList(command.indexOf("load") + 1, command.size()));
        Path pod = Files.createTempDirectory(work, "pod-");
        Map<String, String> labels = job.getMetadata().getLabels();
        ConfigMap config = client.configMaps().inNamespace(NS).withName(job.getMetadata().getName().replace("-load", "-server")).get();
        Path configFile = pod.resolve("config.yaml");
        Files.writeString(configFile, config.getData().get(Manifests.CONFIG_FILE));
        int url = args.indexOf("--url");
        args.subList(url, url + 2).clear();
        args.addAll(url, List.of("--offline", "--config", configFile.toString(), "--gpu", labels.get(Labels.GPU_CLASS)));
        args.set(args.indexOf("--out") + 1, pod.resolve("sweep").toString());
        StringWriter console = new StringWriter();
        CommandLine cli = Headroom.commandLine();
        cli.setOut(new PrintWriter(console));
        cli.setErr(new PrintWriter(console));
        cli.execute(args.toArray(String[]::new));
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        RecordsArchive.write(pod.resolve("sweep"), new PrintStream(records, true, StandardCharsets.UTF_8));
        return console + records.toString(StandardCharsets.UTF_8);
    }

    private void status(String pod, PodStatus status) {
        Pod p = client.pods().inNamespace(NS).withName(pod).get();
        p.setStatus(status);
        client.pods().inNamespace(NS).resource(p).updateStatus();
    }

    private void log(String pod, boolean previous, String text) {
        String path = "/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false" + (previous ? "&previous=true" : "");
        // The mock server keeps its expectations in plain collections: kubelet threads driving units in parallel
        // registered logs at once and one of them failed with a ConcurrentModificationException (1 full run in 3).
        synchronized (server) {
            server.expect().get().withPath(path).andReturn(200, text).always();
        }
    }
}
