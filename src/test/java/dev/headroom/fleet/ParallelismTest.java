package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --parallel}: as given; by default the GPUs the namespace's quota leaves free, else 1; {@code auto}: the GPUs
 * free on the classes' nodes, at most the quota's, falling back with one clear line when the account may not list
 * nodes. Against fabric8's mock API server: a cluster of a T4 pool (2 nodes of 4 GPUs) and an A100 pool (1 node of 8).
 */
@EnableKubernetesMockClient(crud = true)
class ParallelismTest {

    KubernetesMockServer server;
    KubernetesClient client;

    static final String NS = "lab";
    static final List<GpuPool> POOLS = GpuPool.parseAll("t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4,"
            + "a100-40gb=cloud.google.com/gke-accelerator=nvidia-tesla-a100");

    final List<String> warnings = new ArrayList<>();

    Parallelism.Decision decide(String option, int units) {
        return Parallelism.decide(option, FleetSpec.ServerKind.VLLM, POOLS, units, client, NS, warnings::add);
    }

    void quota(String name, String hard, String used) {
        ResourceQuota q = client.resourceQuotas().inNamespace(NS).resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().addToHard(Parallelism.GPU_QUOTA, new Quantity(hard))
                .addToHard("pods", new Quantity("100")).endSpec().build()).create();
        if (used != null) {
            q.setStatus(new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
                    .addToHard(q.getSpec().getHard()).addToUsed(Parallelism.GPU_QUOTA, new Quantity(used)).build());
            client.resourceQuotas().inNamespace(NS).resource(q).updateStatus();
        }
    }

    void node(String name, String accelerator, int gpus, boolean cordoned) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("cloud.google.com/gke-accelerator", accelerator)).endMetadata()
                .withNewSpec().withUnschedulable(cordoned).endSpec()
                .withNewStatus().addToAllocatable(Manifests.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
                .addToAllocatable("cpu", new Quantity("16")).endStatus().build()).create();
    }

    void pod(String namespace, String name, String node, int gpus, String phase) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("i").withNewResources()
                .addToLimits(Manifests.GPU_RESOURCE, new Quantity(Integer.toString(gpus))).endResources().endContainer()
                .endSpec().withNewStatus().withPhase(phase).endStatus().build()).create();
    }

    void cluster() {
        node("t4-a", "nvidia-tesla-t4", 4, false);
        node("t4-b", "nvidia-tesla-t4", 4, false);
        node("t4-cordoned", "nvidia-tesla-t4", 4, true);
        node("a100-a", "nvidia-tesla-a100", 8, false);
        node("cpu", "none", 0, false);
        pod("team-x", "training", "t4-a", 3, "Running");
        pod("team-y", "finished", "t4-b", 4, "Succeeded");
        pod("team-y", "inference", "a100-a", 2, "Running");
    }

    @Test
    void aCountGivenIsTakenAsIs() {
        quota("gpus", "2", "0");

        assertThat(decide("5", 6)).isEqualTo(new Parallelism.Decision(5, "--parallel"));
    }

    @Test
    void byDefaultTheNamespacesGpuQuotaBoundsItWithTheLeastOfItsQuotasFree() {
        quota("team", "8", "3");
        quota("lab-wide", "6", "2");

        Parallelism.Decision d = decide(null, 6);

        assertThat(d.configs()).isEqualTo(4);
        assertThat(d.why()).isEqualTo("the namespace's GPU quota leaves 4 free");
        assertThat(warnings).isEmpty();
    }

    @Test
    void withoutAGpuQuotaTheDefaultIsOneAndAQuotaUsedUpStillRunsOne() {
        assertThat(decide(null, 6)).isEqualTo(new Parallelism.Decision(1, "--parallel's default; no GPU quota in namespace lab"));

        quota("full", "4", "4");
        assertThat(decide(null, 6).configs()).isEqualTo(1);
    }

    @Test
    void autoCountsTheFreeGpusOnTheClassesSchedulableNodesAtMostTheStudysConfigs() {
        cluster();

        Parallelism.Decision d = decide(Parallelism.AUTO, 20);

        // t4: 8 allocatable on the two schedulable nodes, 3 held by a running pod; a100: 8, 2 held.
        assertThat(d).isEqualTo(new Parallelism.Decision(11, "GPUs free on the classes' nodes: t4 5 a100-40gb 6"));
        assertThat(decide(Parallelism.AUTO, 6).configs()).isEqualTo(6);
    }

    @Test
    void autoTakesNoMoreThanTheQuotaLeaves() {
        cluster();
        quota("team", "4", "1");

        assertThat(decide(Parallelism.AUTO, 20)).isEqualTo(new Parallelism.Decision(3,
                "GPUs free on the classes' nodes: t4 5 a100-40gb 6; the namespace's GPU quota leaves 3"));
    }

    @Test
    void autoWithoutTheClusterRoleSaysSoInOneLineAndFallsBackToTheQuota() {
        quota("team", "4", "2");
        server.expect().get().withPath("/api/v1/nodes?labelSelector=cloud.google.com%2Fgke-accelerator%3Dnvidia-tesla-t4")
                .andReturn(403, forbidden("nodes")).always();

        Parallelism.Decision d = decide(Parallelism.AUTO, 6);

        assertThat(d).isEqualTo(new Parallelism.Decision(2, "the namespace's GPU quota leaves 2 free"));
        assertThat(warnings).singleElement().asString()
                .startsWith("--parallel auto reads nodes and pods of the whole cluster, which this account may not (")
                .contains("cannot list resource \"nodes\"").contains("optional ClusterRole").doesNotContain("\n");
    }

    @Test
    void aRoleWithoutQuotasSaysSoAndGoesOnWithOne() {
        server.expect().get().withPath("/api/v1/namespaces/lab/resourcequotas").andReturn(403, forbidden("resourcequotas"))
                .always();

        assertThat(decide(null, 6).configs()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().startsWith("cannot read the ResourceQuotas of namespace lab (")
                .contains("Going on without a GPU quota");
    }

    @Test
    void autoForTheSimulatorAndCountsBelowOneAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> Parallelism.decide(Parallelism.AUTO, FleetSpec.ServerKind.SIM, POOLS, 6, client, NS,
                warnings::add)).hasMessageContaining("--server sim");
        assertThat(Parallelism.decide(null, FleetSpec.ServerKind.SIM, POOLS, 6, client, NS, warnings::add).configs()).isEqualTo(1);
        for (String bad : List.of("0", "-2", "many", "")) {
            assertThatThrownBy(() -> Parallelism.check(bad)).hasMessage("--parallel '" + bad + "': give the configs to "
                    + "serve at once (1 or more), or auto (the GPUs free on the classes' nodes)");
        }
    }

    private static String forbidden(String resource) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + resource
                + " is forbidden: User \\\"system:serviceaccount:lab:headroom\\\" cannot list resource \\\"" + resource
                + "\\\" in API group \\\"\\\" at the cluster scope\",\"reason\":\"Forbidden\",\"code\":403}";
    }
}
