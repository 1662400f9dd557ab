package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sweep --server} records and checks: a server program that cannot run stops the sweep before it starts;
 * the command line that started each config is recorded; a template that never reads {@code {config}} records none of
 * the config's settings (the server never received them).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SweepServerCommandTest {

    private static final String[] SMALL = {"--workload", "random", "--input-tokens", "32", "--output-tokens", "8",
            "--requests", "2", "--concurrency", "1"};

    @TempDir
    Path tmp;

    @Test
    void aServerProgramThatCannotRunStopsTheSweepBeforeItStartsWithOneLine() {
        Path out = tmp.resolve("missing");
        CliRun r = SweepConfigsTest.sweep(out, new String[] {"--server", "/nonexistent/llama-server --port {port}",
                "--serve-grid", "max_num_seqs=8"}, SMALL);

        assertThat(r.exit()).isEqualTo(Errors.USAGE);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("headroom: --server /nonexistent/llama-server --port {port}: "
                + "'/nonexistent/llama-server' is not an executable file, so no server can start");
        assertThat(r.err()).doesNotContain("planner");
        assertThat(out).doesNotExist();
    }

    @Test
    void eachConfigRecordsItsCommandAndATemplateWithoutConfigRecordsNoSettingsItNeverRead() throws IOException {
        Path out = tmp.resolve("no-config");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String template = "'" + java + "' -Dheadroom.test=sweep-server-command -cp '" + System.getProperty("java.class.path")
                + "' dev.headroom.cli.Headroom sim --gpu t4 --port {port}";
        CliRun r = SweepConfigsTest.sweep(out, new String[] {"--server", template, "--startup-timeout", "90s",
                "--serve-grid", "max_model_len=2048"}, SMALL);

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> config = SweepConfigsTest.csv(out.resolve("configs.csv")).get(0);
        assertThat(config).containsEntry("config", "max_model_len=2048").containsEntry("status", "ran")
                .containsEntry("max_model_len", "").containsEntry("model", "").containsEntry("gpu", "")
                .containsEntry("predicted_starts", "").containsEntry("predicted_kv_cache_tokens", "");
        assertThat(config.get("command")).startsWith(java + " -Dheadroom.test=sweep-server-command -cp ")
                .endsWith(" dev.headroom.cli.Headroom sim --gpu t4 --port " + config.get("command").replaceAll(".* ", ""))
                .doesNotContain("{port}");
        Map<String, String> point = SweepConfigsTest.csv(out.resolve("capacity.csv")).get(0);
        assertThat(point).containsEntry("max_model_len", "").containsEntry("max_num_seqs", "");
        assertThat(point.get("model")).as("the model the server itself reported").isNotEmpty();
        JsonNode sweepJson = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertThat(sweepJson.get("configs").get(0).get("command").asText()).isEqualTo(config.get("command"));
    }
}
