package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.cli.Headroom;
import dev.headroom.sweep.ServeVariant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every manifest a fleet study writes, validated against the Kubernetes API's published schema
 * ({@link ManifestSchema}): the {@code --dry-run} YAML as printed, and the objects {@link Manifests} builds for
 * every server kind, GPU class and token option. A broken manifest fails, so the validator bites.
 */
class ManifestSchemaTest {

    @TempDir
    Path tmp;

    private static final String CLASSES = "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4,"
            + "a100-40gb=nvidia.com/gpu.product=NVIDIA-A100-SXM4-40GB,l4=k8s.amazonaws.com/accelerator=nvidia-l4";

    /** What {@code sweep --kubernetes --dry-run} prints for two configs on three GPU classes, plus {@code extra}. */
    String dryRun(String... extra) throws Exception {
        Files.writeString(tmp.resolve("a.yaml"), "model: Qwen/Qwen2.5-1.5B-Instruct\nmax_num_seqs: 8\n");
        Files.writeString(tmp.resolve("b.yaml"), "model: Qwen/Qwen2.5-1.5B-Instruct\nmax_num_batched_tokens: 2048\n"
                + "enable_prefix_caching: false\n");
        List<String> args = new ArrayList<>(List.of("sweep", "--kubernetes", "--dry-run", "--gpu-class", CLASSES,
                "--serve", tmp.resolve("a.yaml") + "," + tmp.resolve("b.yaml"), "--concurrency", "1,2", "--requests", "5",
                "--workload", "chat,summarize", "--slo", "p95_e2el=2s", "--out", tmp.resolve("study").toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Headroom.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "vLLM with a Hugging Face token | --namespace,lab,--hf-token-secret,hf-token,--parallel,3",
            "vLLM, no token, own images     | --server-image,registry.example.com/vllm:v0.11.0,--headroom-image,registry.example.com/headroom:0.1.0",
            "the simulator standing in      | --server,sim,--namespace,trial"})
    void theDryRunsYamlIsValidAgainstTheApiSchemaAsPrinted(String what, String extra) throws Exception {
        String yaml = dryRun(extra.split(","));

        assertThat(ManifestSchema.documents(yaml)).as("4 objects × 2 configs × 3 classes").hasSize(24);
        assertThat(ManifestSchema.errorsOfYamlStream(yaml)).isEmpty();
    }

    @Test
    void everyObjectManifestsBuildsIsValidForEveryServerKindClassAndTokenOption() {
        List<ServeVariant> variants = List.of(new ServeVariant("seqs8", Map.of("max_num_seqs", 8), null),
                new ServeVariant("budget", Map.of("max_num_batched_tokens", 2048, "gpu_memory_utilization", 0.85), null));
        int checked = 0;
        for (FleetSpec.ServerKind kind : FleetSpec.ServerKind.values()) {
            for (String secret : new String[] {null, "hf-token"}) {
                FleetSpec spec = new FleetSpec("study", "lab", GpuPool.parseAll(CLASSES), kind, "server:1",
                        FleetSpec.HEADROOM_IMAGE, secret, 2, Duration.ofMinutes(20), Duration.ofSeconds(2));
                for (Unit u : FleetStudy.units(spec, variants)) {
                    for (HasMetadata o : new Manifests(spec).all(u, List.of("--concurrency", "1,2", "--requests", "5"))) {
                        assertThat(ManifestSchema.errors(o)).as(kind + " " + secret + " " + o.getKind()).isEmpty();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * 2 * 3 * 2 * 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // an unknown field, where the server pod's container is
            "a field the API does not have | \"name\":\"server\"                | \"name\":\"server\",\"gpus\":1        | gpus",
            // a misspelt field of a toleration
            "a misspelt field              | \"operator\":\"Exists\"           | \"operater\":\"Exists\"                | operater",
            "a number given as a string    | \"containerPort\":8000            | \"containerPort\":\"8000\"             | containerPort",
            "an int32 out of its range     | \"containerPort\":8000            | \"containerPort\":4294967296           | containerPort",
            "a list given as a string      | \"command\":[\"vllm\",\"serve\"]  | \"command\":\"vllm serve\"             | command",
            "int-or-string as a boolean    | \"port\":8000                     | \"port\":true                          | port",
            "a quantity that is none       | \"nvidia.com/gpu\":\"1\"          | \"nvidia.com/gpu\":\"one\"             | limits/nvidia.com~1gpu",
            "a container without its name  | \"name\":\"server\",              | ''                                     | name",
            "a kind headroom does not write| \"kind\":\"Pod\"                  | \"kind\":\"Deployment\"                | kind"})
    void aBrokenServerPodFails(String what, String good, String bad, String named) {
        String json = serverPodJson();
        assertThat(json).contains(good);
        assertThat(ManifestSchema.errorsOfJson(json)).isEmpty();

        List<String> errors = ManifestSchema.errorsOfJson(json.replaceFirst(java.util.regex.Pattern.quote(good),
                java.util.regex.Matcher.quoteReplacement(bad)));

        assertThat(errors).as(what).isNotEmpty().anyMatch(e -> e.contains(named));
    }

    @Test
    void portsAndQuantitiesTakeEveryFormTheApiServerTakes() {
        String json = serverPodJson();

        assertThat(ManifestSchema.errorsOfJson(json.replace("\"port\":8000", "\"port\":\"http\""))).isEmpty();
        assertThat(ManifestSchema.errorsOfJson(json.replace("\"nvidia.com/gpu\":\"1\"", "\"nvidia.com/gpu\":1"))).isEmpty();
        assertThat(ManifestSchema.errorsOfJson(json.replace("\"nvidia.com/gpu\":\"1\"", "\"nvidia.com/gpu\":\"500m\""))).isEmpty();
    }

    @Test
    void aFieldAddedThroughTheModelsLooseEndsFails() {
        FleetSpec spec = new FleetSpec("study", "lab", GpuPool.parseAll(CLASSES), FleetSpec.ServerKind.VLLM,
                FleetSpec.VLLM_IMAGE, FleetSpec.HEADROOM_IMAGE, null, 1, Duration.ofMinutes(20), Duration.ofSeconds(2));
        Unit unit = FleetStudy.units(spec, List.of(new ServeVariant("a", Map.of("max_num_seqs", 8), null))).get(0);
        Pod pod = new Manifests(spec).serverPod(unit);
        // fabric8's model keeps what it does not know as additional properties and writes them out.
        pod.getSpec().getTolerations().get(0).setAdditionalProperty("tolerationSecond", 30);

        assertThat(ManifestSchema.errors(pod)).singleElement().asString().contains("tolerationSecond");
    }

    private static String serverPodJson() {
        FleetSpec spec = new FleetSpec("study", "lab", GpuPool.parseAll(CLASSES), FleetSpec.ServerKind.VLLM,
                FleetSpec.VLLM_IMAGE, FleetSpec.HEADROOM_IMAGE, "hf-token", 1, Duration.ofMinutes(20), Duration.ofSeconds(2));
        Unit unit = FleetStudy.units(spec, List.of(new ServeVariant("a", Map.of("max_num_seqs", 8), null))).get(0);
        return new KubernetesSerialization().asJson(new Manifests(spec).serverPod(unit));
    }
}
