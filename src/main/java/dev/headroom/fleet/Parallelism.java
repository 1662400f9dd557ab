package dev.headroom.fleet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How many configs a fleet study serves at once ({@code --parallel}), each server pod taking one GPU.
 *
 * <ul>
 *   <li>{@code --parallel N}: N.</li>
 *   <li>not given: the GPUs the namespace's ResourceQuota leaves free ({@code requests.nvidia.com/gpu}, hard − used,
 *       the least over unscoped quotas), a namespaced read the Role grants; 1 when there is no such quota. A pod
 *       beyond the quota is refused at creation, so the quota is the namespace's real bound.</li>
 *   <li>{@code auto}: the GPUs free on the GPU classes' nodes (allocatable, less what running pods of any
 *       namespace request), at most the quota's: cluster-scoped reads of nodes and pods that only the optional
 *       ClusterRole of docs/kubernetes.md grants. Refused, it says so and falls back to the default.</li>
 * </ul>
 * Never more than the study's configs, never less than 1; with {@code --server sim} (no GPU) the default is 1.
 */
public final class Parallelism {

    /** {@code --parallel}'s value that counts free GPUs on the nodes. */
    public static final String AUTO = "auto";
    /** The quota key of NVIDIA GPUs: extended resources are quota'd by their requests only. */
    static final String GPU_QUOTA = "requests." + Manifests.GPU_RESOURCE;

    /** The configs served at once and why, for the study's first line (e.g. {@code the namespace's GPU quota: 3 of 8 free}). */
    public record Decision(int configs, String why) {
        public Decision {
            if (configs < 1) throw new IllegalArgumentException("configs at once must be at least 1, was " + configs);
        }
    }

    private Parallelism() {
    }

    /**
     * {@code --parallel}'s value: a count of 1 or more, or {@code auto}.
     *
     * @throws IllegalArgumentException one line naming the value and what is accepted
     */
    public static void check(String option) {
        if (option == null || option.equals(AUTO)) return;
        try {
            if (Integer.parseInt(option.strip()) >= 1) return;
        } catch (NumberFormatException notANumber) {
            // Said below, with what is accepted.
        }
        throw new IllegalArgumentException("--parallel '" + option + "': give the configs to serve at once (1 or more), "
                + "or auto (the GPUs free on the classes' nodes)");
    }

    /**
     * Decides {@code --parallel} for a study of {@code units} configs × classes.
     *
     * @param option  {@code --parallel} as given, or null
     * @param warning told, in one line, when a read is refused and a fallback taken
     * @throws KubernetesClientException any refusal other than "forbidden" (the caller reports the API's error)
     */
    public static Decision decide(String option, FleetSpec.ServerKind server, List<GpuPool> pools, int units,
                                  KubernetesClient client, String namespace, Consumer<String> warning) {
        check(option);
        if (option != null && !option.equals(AUTO)) return new Decision(Integer.parseInt(option.strip()), "--parallel");
        if (server == FleetSpec.ServerKind.SIM) {
            if (option != null) throw new IllegalArgumentException("--parallel auto counts free GPUs, which --server sim "
                    + "does not use: give --parallel N");
            return new Decision(1, "--parallel's default");
        }
        OptionalInt quota = quotaFree(client, namespace, warning);
        if (option != null) {
            try {
                Map<GpuPool, Integer> free = nodesFree(client, pools);
                int total = free.values().stream().mapToInt(Integer::intValue).sum();
                StringBuilder why = new StringBuilder("GPUs free on the classes' nodes:");
                free.forEach((pool, n) -> why.append(' ').append(pool.name()).append(' ').append(n));
                if (quota.isPresent() && quota.getAsInt() < total) {
                    why.append("; the namespace's GPU quota leaves ").append(quota.getAsInt());
                    total = quota.getAsInt();
                }
                return bounded(total, units, why.toString());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) throw e;
                warning.accept("--parallel auto reads nodes and pods of the whole cluster, which this account may not ("
                        + firstLine(e) + "); grant the optional ClusterRole of docs/kubernetes.md or give --parallel N."
                        + " Going on with the default");
            }
        }
        if (quota.isPresent()) return bounded(quota.getAsInt(), units, "the namespace's GPU quota leaves " + quota.getAsInt() + " free");
        return new Decision(1, "--parallel's default; no GPU quota in namespace " + namespace);
    }

    private static Decision bounded(int free, int units, String why) {
        return new Decision(Math.max(1, Math.min(free, units)), why);
    }

    /** The GPUs the namespace's unscoped quotas leave free (the least of them); empty when none caps GPUs or reading them is forbidden. */
    static OptionalInt quotaFree(KubernetesClient client, String namespace, Consumer<String> warning) {
        List<ResourceQuota> quotas;
        try {
            quotas = client.resourceQuotas().inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) throw e;
            warning.accept("cannot read the ResourceQuotas of namespace " + namespace + " (" + firstLine(e)
                    + "); the Role of docs/kubernetes.md grants it. Going on without a GPU quota");
            return OptionalInt.empty();
        }
        OptionalInt least = OptionalInt.empty();
        for (ResourceQuota q : quotas) {
            // A scoped quota counts only the pods its scopes match (priority class, best effort, …): not a bound on ours.
            if (q.getSpec() == null || q.getSpec().getHard() == null || q.getSpec().getScopeSelector() != null
                    || (q.getSpec().getScopes() != null && !q.getSpec().getScopes().isEmpty())) {
                continue;
            }
            Quantity hard = q.getSpec().getHard().get(GPU_QUOTA);
            if (hard == null) continue;
            Quantity used = q.getStatus() == null || q.getStatus().getUsed() == null ? null : q.getStatus().getUsed().get(GPU_QUOTA);
            int free = Math.max(0, gpus(hard) - (used == null ? 0 : gpus(used)));
            if (least.isEmpty() || free < least.getAsInt()) least = OptionalInt.of(free);
        }
        return least;
    }

    /** Per class, in the order given: the GPUs its schedulable nodes can allocate less those running pods request. */
    static Map<GpuPool, Integer> nodesFree(KubernetesClient client, List<GpuPool> pools) {
        Map<String, GpuPool> nodePool = new HashMap<>();
        Map<GpuPool, Integer> free = new LinkedHashMap<>();
        for (GpuPool pool : pools) {
            int allocatable = 0;
            for (Node node : client.nodes().withLabel(pool.labelKey(), pool.labelValue()).list().getItems()) {
                if (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) continue;
                Quantity q = node.getStatus() == null || node.getStatus().getAllocatable() == null ? null
                        : node.getStatus().getAllocatable().get(Manifests.GPU_RESOURCE);
                allocatable += q == null ? 0 : gpus(q);
                nodePool.putIfAbsent(node.getMetadata().getName(), pool);
            }
            free.put(pool, allocatable);
        }
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            GpuPool pool = pod.getSpec() == null ? null : nodePool.get(pod.getSpec().getNodeName());
            if (pool == null || pod.getStatus() != null && DONE.contains(pod.getStatus().getPhase())) continue;
            int requested = pod.getSpec().getContainers().stream().mapToInt(Parallelism::gpusRequested).sum();
            free.merge(pool, -requested, (a, b) -> Math.max(0, a + b));
        }
        return free;
    }

    private static final Set<String> DONE = Set.of("Succeeded", "Failed");

    /** A container's GPUs: its request, which for an extended resource defaults to its limit. */
    private static int gpusRequested(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null) return 0;
        Quantity q = r.getRequests() != null && r.getRequests().containsKey(Manifests.GPU_RESOURCE)
                ? r.getRequests().get(Manifests.GPU_RESOURCE)
                : r.getLimits() == null ? null : r.getLimits().get(Manifests.GPU_RESOURCE);
        return q == null ? 0 : gpus(q);
    }

    private static int gpus(Quantity q) {
        return q.getNumericalAmount().intValue();
    }

    private static String firstLine(KubernetesClientException e) {
        String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
