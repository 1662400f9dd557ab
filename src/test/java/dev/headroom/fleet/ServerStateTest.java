package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.sweep.Launch.StartFailure;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every failure class a server pod's status can show, as the kubelet and scheduler write it: each image-pull reason,
 * each of vLLM's start-up errors behind a CrashLoopBackOff (from the real-shaped logs the local start-up tests read),
 * OOMKilled now or in the last run, unschedulable; and the states that are no failure. The end-to-end tests
 * ({@link FleetStudyTest}) drive one of each class through the mock API to a configs.csv row.
 */
class ServerStateTest {

    static Pod pod(PodStatus status) {
        return new PodBuilder().withNewMetadata().withName("hr-s-t4-0-server").endMetadata().withStatus(status).build();
    }

    static Pod waiting(String reason, String message) {
        return pod(new PodStatusBuilder().withPhase(reason.equals("CrashLoopBackOff") ? "Running" : "Pending")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("server").withRestartCount(2)
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                        .build())
                .build());
    }

    static List<String> log(String name) throws IOException {
        try (InputStream in = ServerStateTest.class.getResourceAsStream("/dev/headroom/sweep/logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"})
    void everyImagePullReasonIsAnImagePullFailureWithTheKubeletsWords(String reason) {
        ServerState s = ServerState.of(waiting(reason, "failed to pull \"vllm/vllm-openai:v9\": not found"), List::of);

        assertThat(s).isEqualTo(new ServerState.Failed(StartFailure.IMAGE_PULL,
                reason + ": failed to pull \"vllm/vllm-openai:v9\": not found"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            vllm-v1-cuda-oom.log     | OUT_OF_MEMORY      | CrashLoopBackOff: torch.OutOfMemoryError: CUDA out of memory.
            vllm-no-cache-memory.log | OUT_OF_MEMORY      | CrashLoopBackOff: ValueError: No available memory for the cache blocks.
            vllm-v1-kv-too-small.log | KV_CACHE_TOO_SMALL | CrashLoopBackOff: ValueError: To serve at least one request
            vllm-bad-flag.log        | BAD_CONFIG         | CrashLoopBackOff: vllm serve: error: unrecognized arguments: --max-num-seq 64
            vllm-pydantic.log        | BAD_CONFIG         | CrashLoopBackOff: Value error, User-specified max_model_len (65536)
            """)
    void aCrashLoopIsVllmsOwnErrorFromTheCrashedContainersLog(String file, StartFailure cause, String message) throws IOException {
        List<String> lastRun = log(file);

        ServerState s = ServerState.of(waiting("CrashLoopBackOff", "back-off 40s restarting failed container"), () -> lastRun);

        assertThat(s).isInstanceOfSatisfying(ServerState.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo(cause);
            assertThat(f.message()).startsWith(message);
        });
    }

    @Test
    void aCrashLoopWithoutAnErrorVllmNamesExitedWithItsLastWords() {
        List<String> lastRun = List.of("INFO 07-30 11:56:01 [api_server.py:1] Starting", "Killed", "");

        assertThat(ServerState.of(waiting("CrashLoopBackOff", null), () -> lastRun))
                .isEqualTo(new ServerState.Failed(StartFailure.EXITED, "CrashLoopBackOff: Killed"));
        assertThat(ServerState.of(waiting("CrashLoopBackOff", null), List::of))
                .isEqualTo(new ServerState.Failed(StartFailure.EXITED, "CrashLoopBackOff: the server exited without a word"));
    }

    @Test
    void oomKilledNowOrInTheLastRunIsOomKilledWithItsExitCode() {
        Pod now = pod(new PodStatusBuilder().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("server").withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .endTerminated().endState().build()).build());
        Pod before = pod(new PodStatusBuilder().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder()
                .withName("server").withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                .endLastState().build()).build());

        for (Pod p : List.of(now, before)) {
            assertThat(ServerState.of(p, List::of)).isEqualTo(new ServerState.Failed(StartFailure.OOM_KILLED,
                    "OOMKilled: the server container passed its pod's memory limit (exit code 137)"));
        }
    }

    @Test
    void unschedulableCarriesTheSchedulersMessageAndTheRestIsNoFailure() {
        Pod unschedulable = pod(new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")
                .endCondition().build());
        Pod pulling = waiting("ContainerCreating", null);
        Pod notReady = pod(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready").withStatus("False")
                .endCondition().build());
        Pod ready = pod(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().build());

        assertThat(ServerState.of(unschedulable, List::of))
                .isEqualTo(new ServerState.Unschedulable("0/3 nodes are available: 3 Insufficient nvidia.com/gpu."));
        assertThat(ServerState.of(null, List::of)).isEqualTo(new ServerState.Starting());
        assertThat(ServerState.of(pulling, List::of)).isEqualTo(new ServerState.Starting());
        assertThat(ServerState.of(notReady, List::of)).isEqualTo(new ServerState.Starting());
        assertThat(ServerState.of(ready, List::of)).isEqualTo(new ServerState.Ready());
    }
}
