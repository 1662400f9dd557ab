package dev.headroom.fleet;

import dev.headroom.fleet.FleetSpec.ServerKind;
import dev.headroom.sweep.ServeYaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects of one {@link Unit}: the config as a ConfigMap (vLLM's {@code --config} YAML), the server pod (GPU
 * resource, the class's node selector and GPU toleration, readiness on {@code /health}, the HF token from a named
 * Secret), a Service in front of it, and the load Job (headroom itself) placed beside it, which runs the grid and
 * prints its records ({@link RecordsArchive}) for the coordinator to read.
 */
public final class Manifests {

    /** Where the config file is mounted in the server container. */
    static final String CONFIG_DIR = "/etc/headroom";
    static final String CONFIG_FILE = "config.yaml";
    /** The GPU resource and the taint GPU node pools carry (NVIDIA's device plugin; GKE, EKS and AKS taint alike). */
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** Jib's classpath file in the headroom image. */
    static final String JIB_CLASSPATH = "@/app/jib-classpath-file";
    /** Where the load container's sweep writes its folder. */
    static final String RESULTS_DIR = "/results";

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final FleetSpec spec;

    public Manifests(FleetSpec spec) {
        this.spec = spec;
    }

    /** Every object of {@code unit}, in the order they are created. */
    public List<HasMetadata> all(Unit unit, List<String> loadArgs) {
        return List.of(configMap(unit), serverPod(unit), service(unit), loadJob(unit, loadArgs));
    }

    /** Objects as a YAML stream, as {@code --dry-run} prints them. */
    public static String yaml(List<HasMetadata> objects) {
        StringBuilder s = new StringBuilder();
        for (HasMetadata o : objects) {
            String text = YAML.asYaml(o);
            s.append(text.startsWith("---") ? text : "---\n" + text);
            if (!text.endsWith("\n")) s.append('\n');
        }
        return s.toString();
    }

    public ConfigMap configMap(Unit unit) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(unit.serverName()).withNamespace(spec.namespace())
                .withLabels(Labels.of(unit, "server")).withAnnotations(annotations(unit)).endMetadata()
                .withData(Map.of(CONFIG_FILE, ServeYaml.text(unit.variant().values())))
                .build();
    }

    public Pod serverPod(Unit unit) {
        boolean vllm = spec.server() == ServerKind.VLLM;
        ContainerBuilder c = new ContainerBuilder().withName("server").withImage(spec.serverImage())
                .addNewPort().withName("http").withContainerPort(FleetSpec.PORT).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/health").withNewPort(FleetSpec.PORT).endHttpGet()
                .withPeriodSeconds(5).withFailureThreshold(3).endReadinessProbe()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount();
        String config = CONFIG_DIR + "/" + CONFIG_FILE;
        if (vllm) {
            c.withCommand("vllm", "serve")
                    .withArgs("--config", config, "--host", "0.0.0.0", "--port", Integer.toString(FleetSpec.PORT))
                    .withNewResources().addToLimits(GPU_RESOURCE, new Quantity("1")).endResources()
                    // PyTorch's workers share tensors through /dev/shm, which a container caps at 64 MiB.
                    .addNewVolumeMount().withName("shm").withMountPath("/dev/shm").endVolumeMount();
        } else {
            c.withArgs("sim", "--config", config, "--gpu", unit.pool().name(), "--host", "0.0.0.0",
                    "--port", Integer.toString(FleetSpec.PORT));
        }
        if (spec.hfTokenSecret() != null) c.withEnv(hfToken());
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(unit.serverName()).withNamespace(spec.namespace())
                .withLabels(Labels.of(unit, "server")).withAnnotations(annotations(unit)).endMetadata()
                .withNewSpec().withRestartPolicy("Always")
                .withNodeSelector(Map.of(unit.pool().labelKey(), unit.pool().labelValue()))
                .withTolerations(gpuToleration())
                .withContainers(c.build())
                .addNewVolume().withName("config").withNewConfigMap().withName(unit.serverName()).endConfigMap().endVolume()
                .endSpec();
        if (vllm) {
            pod.editSpec().addNewVolume().withName("shm").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                    .endSpec();
        }
        return pod.build();
    }

    public Service service(Unit unit) {
        return new ServiceBuilder()
                .withNewMetadata().withName(unit.serverName()).withNamespace(spec.namespace())
                .withLabels(Labels.of(unit, "server")).withAnnotations(annotations(unit)).endMetadata()
                .withNewSpec().withSelector(Labels.of(unit, "server"))
                .addNewPort().withName("http").withPort(FleetSpec.PORT).withNewTargetPort(FleetSpec.PORT).endPort()
                .endSpec().build();
    }

    /** The server's address inside the cluster, as the load Job reaches it. */
    public String serverUrl(Unit unit) {
        return "http://" + unit.serverName() + "." + spec.namespace() + ".svc:" + FleetSpec.PORT;
    }

    /**
     * The load Job: {@code headroom sweep --url SERVER ARGS --out /results}, then the records printed to its log. No
     * retry (a second load on the same server would not be the point measured), placed on the server's node when it
     * can be, else in its zone.
     *
     * @param loadArgs the sweep's grid options as the user gave them (workloads, loads, requests, SLO, …)
     */
    public Job loadJob(Unit unit, List<String> loadArgs) {
        List<String> args = new ArrayList<>(List.of("sweep", "--url", serverUrl(unit)));
        args.addAll(loadArgs);
        args.addAll(List.of("--out", RESULTS_DIR + "/sweep"));
        List<String> command = new ArrayList<>(List.of("sh", "-c", script(), "load"));
        command.addAll(args);
        Container c = new ContainerBuilder().withName("load").withImage(spec.headroomImage()).withCommand(command)
                .withNewResources().addToRequests("cpu", new Quantity("2")).addToRequests("memory", new Quantity("2Gi"))
                .addToLimits("memory", new Quantity("4Gi")).endResources()
                .addNewVolumeMount().withName("results").withMountPath(RESULTS_DIR).endVolumeMount()
                .build();
        return new JobBuilder()
                .withNewMetadata().withName(unit.loadName()).withNamespace(spec.namespace())
                .withLabels(Labels.of(unit, "load")).withAnnotations(annotations(unit)).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(unit, "load")).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .withTolerations(gpuToleration())
                .withNewAffinity().withNewPodAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(near(unit, "kubernetes.io/hostname", 100),
                        near(unit, "topology.kubernetes.io/zone", 50))
                .endPodAffinity().endAffinity()
                .withContainers(c)
                .addNewVolume().withName("results").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    /**
     * The load container's shell: headroom's sweep, then its folder printed as {@link RecordsArchive} lines whatever
     * the sweep's exit (a sweep with a failed point still measured the others); the Job fails with the sweep.
     */
    static String script() {
        String java = "java -cp " + JIB_CLASSPATH + " ";
        return java + "dev.headroom.cli.Headroom \"$@\"; rc=$?; " + java + RecordsOut.class.getName() + " "
                + RESULTS_DIR + "/sweep || exit 3; exit $rc";
    }

    private static WeightedPodAffinityTerm near(Unit unit, String topologyKey, int weight) {
        return new WeightedPodAffinityTermBuilder().withWeight(weight).withNewPodAffinityTerm()
                .withNewLabelSelector().withMatchLabels(Labels.of(unit, "server")).endLabelSelector()
                .withTopologyKey(topologyKey).endPodAffinityTerm().build();
    }

    private static Toleration gpuToleration() {
        return new TolerationBuilder().withKey(GPU_RESOURCE).withOperator("Exists").withEffect("NoSchedule").build();
    }

    private EnvVar hfToken() {
        return new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                .withName(spec.hfTokenSecret()).withKey("token").endSecretKeyRef().endValueFrom().build();
    }

    private static Map<String, String> annotations(Unit unit) {
        return Map.of(Labels.CONFIG, unit.variant().label());
    }
}
