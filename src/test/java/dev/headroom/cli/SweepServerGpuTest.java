package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep of a real server at --url says which GPU it ran on when the user names it, for the reports' GPU classes. */
class SweepServerGpuTest {

    @Test
    void theNamedGpuReachesCapacityCsv(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0)) {
            CliRun r = CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "8",
                    "--output-tokens", "4", "--concurrency", "1,2", "--requests", "4", "--server-gpu", "A100-40GB",
                    "--out", dir.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(SweepCommandTest.rows(dir)).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("gpu", "a100-40gb")
                    .containsEntry("model", "schedule-model").containsEntry("max_model_len", ""));
        }
    }

    @Test
    void aPlaybookOfAServerHeadroomDidNotStartSaysWhichSettingsAreNotKnown(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0)) {
            Path sweep = dir.resolve("sweep");
            assertThat(CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "chat", "--output-tokens", "4",
                    "--concurrency", "1,2", "--requests", "4", "--out", sweep.toString()).exit()).isZero();
            assertThat(CliRun.headroom("analyze", sweep.toString(), "--slo", "p95_e2el=10s").exit()).isZero();
            CliRun playbook = CliRun.headroom("playbook", sweep.toString(), "--out", dir.resolve("playbook").toString());
            assertThat(playbook.exit()).as(playbook.err()).isZero();
            String md = Files.readString(dir.resolve("playbook/playbook.md"));
            assertThat(md).contains("| model | `schedule-model` | the model swept |",
                    "| context-length limit | not known | headroom did not start this server (`sweep --url`) |",
                    "No server flags to give").doesNotContain("vllm serve schedule-model").doesNotContain("|  |");
        }
    }

    @Test
    void aCpuServerIsLabelledAsSuchAndItsPlaybookIsNotTitledByAGpu(@TempDir Path dir) throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0)) {
            Path sweep = dir.resolve("sweep");
            CliRun r = CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "chat", "--output-tokens", "4",
                    "--concurrency", "1,2", "--requests", "4", "--server-gpu", "cpu", "--out", sweep.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(SweepCommandTest.rows(sweep)).allSatisfy(row -> assertThat(row).containsEntry("gpu", "cpu"));
            assertThat(CliRun.headroom("analyze", sweep.toString(), "--slo", "p95_e2el=10s").exit()).isZero();
            CliRun playbook = CliRun.headroom("playbook", sweep.toString(), "--out", dir.resolve("playbook").toString());
            assertThat(playbook.exit()).as(playbook.err()).isZero();
            String md = Files.readString(dir.resolve("playbook/playbook.md"));
            assertThat(md).startsWith("# Serving Recipes\n").doesNotContain("Single-GPU", "unknown GPU");
        }
    }

    @Test
    void aBlankServerClassOrOneWithoutUrlIsOneLineAndNoFolder(@TempDir Path dir) {
        Path out = dir.resolve("never");
        CliRun blank = CliRun.headroom("sweep", "--url", "http://127.0.0.1:9", "--server-gpu", " ", "--out", out.toString());
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err().strip()).startsWith("headroom: --server-gpu is empty; name the server's hardware class")
                .doesNotContain("\n");
        CliRun simulated = CliRun.headroom("sweep", "--offline", "--server-gpu", "t4", "--out", out.toString());
        assertThat(simulated.exit()).isEqualTo(2);
        assertThat(simulated.err()).contains("--server-gpu names the hardware of a server headroom does not model");
        CliRun vllm = CliRun.headroom("sweep", "--server", "vllm", "--serve-base", "x.yaml", "--server-gpu", "t4", "--out",
                out.toString());
        assertThat(vllm.exit()).isEqualTo(2);
        assertThat(vllm.err()).as("vLLM is planned on --gpu").contains("vLLM and the simulator take --gpu");
        assertThat(Files.exists(out)).isFalse();
    }
}
