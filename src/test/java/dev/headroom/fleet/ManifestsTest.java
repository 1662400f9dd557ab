package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.cli.Headroom;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code sweep --kubernetes --dry-run} prints: every object of every config × GPU class, read back through
 * fabric8's typed model, named and labelled as Kubernetes accepts and carrying what each object must. Their fields
 * and types are checked against the API's published schema by {@link ManifestSchemaTest}.
 */
class ManifestsTest {

    @TempDir
    Path tmp;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    List<HasMetadata> dryRun(String... extra) throws Exception {
        Files.writeString(tmp.resolve("a.yaml"), "model: Qwen/Qwen2.5-1.5B-Instruct\nmax_num_seqs: 8\n");
        Files.writeString(tmp.resolve("b.yaml"), "model: Qwen/Qwen2.5-1.5B-Instruct\nmax_num_seqs: 16\n");
        List<String> args = new ArrayList<>(List.of("sweep", "--kubernetes", "--dry-run", "--gpu-class",
                "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4,a100-40gb=cloud.google.com/gke-accelerator=nvidia-tesla-a100",
                "--serve", tmp.resolve("a.yaml") + "," + tmp.resolve("b.yaml"), "--concurrency", "1,2", "--requests", "5",
                "--slo", "p95_e2el=2s", "--out", tmp.resolve("My Study").toString(), "--namespace", "lab"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Headroom.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(tmp.resolve("My Study")).as("a dry run writes nothing").doesNotExist();
        KubernetesSerialization yaml = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : out.toString().split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) objects.add(yaml.unmarshal(doc));
        }
        return objects;
    }

    @Test
    void everyObjectOfEveryConfigOnEveryClassIsNamedAndLabelledAsKubernetesAccepts() throws Exception {
        List<HasMetadata> objects = dryRun("--hf-token-secret", "hf-token");

        assertThat(objects).hasSize(2 * 2 * 4);
        assertThat(objects.stream().map(HasMetadata::getKind).distinct()).containsExactly("ConfigMap", "Pod", "Service", "Job");
        for (HasMetadata o : objects) {
            assertThat(o.getMetadata().getName()).matches(DNS_LABEL);
            assertThat(o.getMetadata().getNamespace()).isEqualTo("lab");
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.STUDY, "my-study")
                    .containsEntry(Labels.MANAGED_BY, "headroom");
            assertThat(o.getMetadata().getLabels().values()).allMatch(v -> LABEL_VALUE.matcher(v).matches());
        }
    }

    @Test
    void theServerPodAsksForOneGpuOnItsClassReadsItsConfigAndTakesTheTokenFromTheSecret() throws Exception {
        List<HasMetadata> objects = dryRun("--hf-token-secret", "hf-token");
        Pod pod = (Pod) objects.stream().filter(o -> o.getMetadata().getName().equals("hr-my-study-a100-40gb-1-server")
                && o instanceof Pod).findFirst().orElseThrow();
        Container server = pod.getSpec().getContainers().get(0);

        assertThat(server.getImage()).isEqualTo(FleetSpec.VLLM_IMAGE);
        assertThat(server.getCommand()).containsExactly("vllm", "serve");
        assertThat(server.getArgs()).containsSequence("--config", "/etc/headroom/config.yaml");
        assertThat(server.getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("cloud.google.com/gke-accelerator", "nvidia-tesla-a100"));
        assertThat(pod.getSpec().getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()));
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(server.getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("HF_TOKEN");
            assertThat(e.getValue()).as("the token is never written").isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
        });
        ConfigMap config = (ConfigMap) objects.stream().filter(o -> o instanceof ConfigMap
                && o.getMetadata().getName().equals("hr-my-study-a100-40gb-1-server")).findFirst().orElseThrow();
        assertThat(config.getData().get("config.yaml")).contains("max_num_seqs: 16");
        assertThat(config.getMetadata().getAnnotations()).containsEntry(Labels.CONFIG, "b");
        Service service = (Service) objects.stream().filter(o -> o instanceof Service).findFirst().orElseThrow();
        assertThat(service.getSpec().getSelector()).containsEntry(Labels.ROLE, "server");
    }

    @Test
    void aParallelThatIsNeitherACountNorAutoIsOneLineNamingIt() throws Exception {
        Files.writeString(tmp.resolve("a.yaml"), "model: Qwen/Qwen2.5-1.5B-Instruct\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Headroom.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("sweep", "--kubernetes", "--dry-run", "--gpu-class", "t4=headroom.dev/gpu=t4", "--serve",
                tmp.resolve("a.yaml").toString(), "--concurrency", "1", "--parallel", "all", "--out", tmp.resolve("s").toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).hasLineCount(1).contains("--parallel 'all': give the configs to serve at once (1 or more), or auto");
    }

    @Test
    void theLoadJobRunsTheSweepsGridAgainstItsServerAndNothingOfTheCoordinators() throws Exception {
        Job job = (Job) dryRun().stream().filter(o -> o instanceof Job).findFirst().orElseThrow();
        List<String> command = job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();

        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(command.subList(0, 2)).containsExactly("sh", "-c");
        assertThat(command.get(2)).contains("dev.headroom.cli.Headroom").contains(RecordsOut.class.getName());
        List<String> args = command.subList(command.indexOf("load") + 1, command.size());
        assertThat(args).containsSequence("sweep", "--url", "http://hr-my-study-t4-0-server.lab.svc:8000")
                .containsSequence("--concurrency", "1,2").containsSequence("--requests", "5")
                .containsSequence("--slo", "p95_e2el=2s").endsWith("--out", "/results/sweep")
                .doesNotContain("--kubernetes", "--dry-run", "--serve", "--gpu-class", "--namespace");
        assertThat(job.getSpec().getTemplate().getSpec().getAffinity().getPodAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(2);
    }
}
