package dev.headroom.fleet;

import dev.headroom.sweep.Launch.StartFailure;
import dev.headroom.sweep.StartupClassifier;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a server pod stands, read from its status as the kubelet and scheduler write it: still starting, ready,
 * unschedulable (final only when nothing of the study will free a GPU), or failed with a start-up failure's cause.
 */
public sealed interface ServerState {

    /** Not scheduled yet, pulling, starting, or running but not ready. */
    record Starting() implements ServerState {}

    /** Running and ready: {@code /health} answers. */
    record Ready() implements ServerState {}

    /** The scheduler placed it on no node; {@code message} is its own ("0/3 nodes are available: …"). */
    record Unschedulable(String message) implements ServerState {}

    /** It cannot start: {@code message} is Kubernetes' reason, or vLLM's own error from the log. */
    record Failed(StartFailure cause, String message) implements ServerState {}

    /** The waiting reasons of a container whose image cannot be pulled. */
    Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

    /**
     * The state of {@code pod} (null: not there yet).
     *
     * @param previousLog the log of the container's last run (read only for a container that crashes)
     */
    static ServerState of(Pod pod, Supplier<List<String>> previousLog) {
        if (pod == null || pod.getStatus() == null) return new Starting();
        Optional<ContainerStatus> container = Optional.ofNullable(pod.getStatus().getContainerStatuses())
                .flatMap(l -> l.stream().findFirst());
        Optional<ContainerStateTerminated> killed = container.flatMap(ServerState::oomKilled);
        if (killed.isPresent()) {
            return new Failed(StartFailure.OOM_KILLED, "OOMKilled: the server container passed its pod's memory "
                    + "limit (exit code " + killed.get().getExitCode() + ")");
        }
        Optional<ContainerStateWaiting> waiting = container.map(c -> c.getState() == null ? null : c.getState().getWaiting());
        if (waiting.isPresent() && IMAGE_PULL.contains(waiting.get().getReason())) {
            return new Failed(StartFailure.IMAGE_PULL, waiting.get().getReason() + ": " + orEmpty(waiting.get().getMessage()));
        }
        if (waiting.isPresent() && "CrashLoopBackOff".equals(waiting.get().getReason())) return crashed(previousLog.get());
        Optional<PodCondition> scheduled = condition(pod, "PodScheduled");
        if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())
                && "Unschedulable".equals(scheduled.get().getReason())) {
            return new Unschedulable(orEmpty(scheduled.get().getMessage()));
        }
        if ("Running".equals(pod.getStatus().getPhase())
                && condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false)) {
            return new Ready();
        }
        return new Starting();
    }

    /** A crashing server: vLLM's own error from its log (out of memory, KV cache, config), else its last words. */
    static Failed crashed(List<String> log) {
        return StartupClassifier.classify(log)
                .map(f -> new Failed(f.cause(), "CrashLoopBackOff: " + f.message()))
                .orElseGet(() -> new Failed(StartFailure.EXITED, "CrashLoopBackOff: "
                        + StartupClassifier.lastWords(log).orElse("the server exited without a word")));
    }

    private static Optional<ContainerStateTerminated> oomKilled(ContainerStatus c) {
        for (var state : List.of(Optional.ofNullable(c.getState()), Optional.ofNullable(c.getLastState()))) {
            Optional<ContainerStateTerminated> t = state.map(s -> s.getTerminated());
            if (t.isPresent() && "OOMKilled".equals(t.get().getReason())) return t;
        }
        return Optional.empty();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        List<PodCondition> conditions = pod.getStatus().getConditions();
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
