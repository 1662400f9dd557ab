package dev.headroom.fleet;

import static dev.headroom.fleet.FleetStudyTest.KV_LINE;
import static dev.headroom.fleet.FleetStudyTest.column;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.CsvTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that do not come back: a load pod's log the kubelet cut makes the config's points {@code tool_error} with
 * the cause (headroom's failure, never the server's), and {@code --resume} runs again only that config. Through the
 * mock API server with {@link FleetStudyTest}'s harness.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FleetRecoveryTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path tmp;

    private final FleetStudyTest harness = new FleetStudyTest();

    static final String T4 = "t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4";
    /** A log rotated at its size limit: it loses its tail, the records' end line with it. */
    static final UnaryOperator<String> CUT = log -> log.substring(0, log.indexOf(RecordsArchive.END));

    @BeforeEach
    void mock() {
        FleetStudyTest.server = server;
        FleetStudyTest.client = client;
        harness.tmp = tmp;
        harness.pointTheClientAtTheMock();
    }

    @AfterEach
    void unmock() {
        harness.forgetTheMock();
    }

    @Test
    void recordsTheKubeletCutAreToolErrorsOfEveryPointWithTheCauseNeverTheServers() throws Exception {
        Path a = harness.config("cut", "max_num_seqs: 8\n");
        Path out = tmp.resolve("cut");
        Future<FleetStudyTest.Run> run = harness.sweep("--gpu-class", T4, "--serve", a.toString(), "--out", out.toString());
        Future<?> driven = harness.threads.submit(() -> {
            harness.kubelet.awaitPod("hr-cut-t4-0-server");
            harness.kubelet.ready("hr-cut-t4-0-server", KV_LINE + "\n");
            harness.kubelet.runLoad(harness.kubelet.awaitJob("hr-cut-t4-0-load"), CUT);
            return null;
        });
        FleetStudyTest.Run r = FleetStudyTest.finish(run, List.of(driven));

        List<Map<String, String>> capacity = CsvTable.read(out.resolve("t4/capacity.csv"));
        assertThat(column(capacity, "status")).containsExactly("tool_error", "tool_error");
        assertThat(column(capacity, "error")).allMatch(e -> e.startsWith("load Job hr-cut-t4-0-load: ")
                && e.contains("the kubelet cut or rotated the log"));
        List<Map<String, String>> configs = CsvTable.read(out.resolve("t4/configs.csv"));
        assertThat(column(configs, "status")).as("the server served; headroom lost the records")
                .containsExactly("ran");
        assertThat(r.err()).contains("headroom failed to bring back the records of cut on t4");
        assertThat(new Cluster(FleetStudyTest.client, FakeKubelet.NS).count(Labels.study("cut"))).isZero();
    }

    @Test
    void aResumedStudyRunsAgainOnlyTheConfigWhoseRecordsWereLost() throws Exception {
        Path a = harness.config("done", "max_num_seqs: 8\n");
        Path b = harness.config("lost", "max_num_seqs: 16\n");
        String[] args = {"--gpu-class", T4, "--serve", a + "," + b,
                "--out", tmp.resolve("again").toString()};
        Future<FleetStudyTest.Run> first = harness.sweep(args);
        Future<?> driven = harness.threads.submit(() -> {
            harness.kubelet.awaitPod("hr-again-t4-0-server");
            harness.kubelet.ready("hr-again-t4-0-server", KV_LINE + "\n");
            harness.kubelet.runLoad(harness.kubelet.awaitJob("hr-again-t4-0-load"));
            harness.kubelet.awaitPod("hr-again-t4-1-server");
            harness.kubelet.ready("hr-again-t4-1-server", KV_LINE + "\n");
            harness.kubelet.runLoad(harness.kubelet.awaitJob("hr-again-t4-1-load"), CUT);
            return null;
        });
        FleetStudyTest.finish(first, List.of(driven));

        List<String> again = new ArrayList<>(List.of(args));
        again.add("--resume");
        Future<FleetStudyTest.Run> second = harness.sweep(again.toArray(String[]::new));
        // Only the lost config's objects are created again: a server of "done" would wait here, never made ready.
        FleetStudyTest.Run r = FleetStudyTest.finish(second, List.of(harness.serveAndLoad("hr-again-t4-1")));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("done on t4: finished before; not started again");
        List<Map<String, String>> capacity = CsvTable.read(tmp.resolve("again/t4/capacity.csv"));
        assertThat(column(capacity, "config")).containsExactly("done", "done", "lost", "lost");
        assertThat(column(capacity, "status")).containsOnly("ok");
        assertThat(new Cluster(FleetStudyTest.client, FakeKubelet.NS).count(Labels.study("again"))).isZero();
    }
}
