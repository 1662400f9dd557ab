package dev.headroom.fleet;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The API calls a fleet study makes, all in one namespace, through fabric8's client: what the namespaced Role
 * of docs/kubernetes.md grants (configmaps, pods, pods/log, services, jobs).
 */
public final class Cluster {

    private final KubernetesClient client;
    private final String namespace;

    public Cluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Creates {@code object} unless one of its kind and name is there (a resumed study's). */
    public void createIfAbsent(HasMetadata object) {
        if (client.resource(object).inNamespace(namespace).get() == null) client.resource(object).inNamespace(namespace).create();
    }

    public Pod pod(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    public Job job(String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** Pods that carry every one of {@code labels}. */
    public List<Pod> pods(Map<String, String> labels) {
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** Jobs that carry every one of {@code labels}. */
    public List<Job> jobs(Map<String, String> labels) {
        return client.batch().v1().jobs().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** A pod's log as lines; of its container's last run when {@code previous}. Empty when it has none (yet). */
    public List<String> log(String pod, boolean previous) {
        String text = previous ? client.pods().inNamespace(namespace).withName(pod).terminated().getLog()
                : client.pods().inNamespace(namespace).withName(pod).getLog();
        return text == null ? List.of() : text.lines().toList();
    }

    /** Deletes every Job, pod, Service and ConfigMap carrying all of {@code labels}; Jobs take their pods with them. */
    public void delete(Map<String, String> labels) {
        client.batch().v1().jobs().inNamespace(namespace).withLabels(labels)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        client.pods().inNamespace(namespace).withLabels(labels).delete();
        client.services().inNamespace(namespace).withLabels(labels).delete();
        client.configMaps().inNamespace(namespace).withLabels(labels).delete();
    }

    /** How many objects of those kinds carry all of {@code labels}. */
    public int count(Map<String, String> labels) {
        return jobs(labels).size() + pods(labels).size()
                + client.services().inNamespace(namespace).withLabels(labels).list().getItems().size()
                + client.configMaps().inNamespace(namespace).withLabels(labels).list().getItems().size();
    }
}
