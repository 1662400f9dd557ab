package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.results.CsvTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sweep} over server configs end to end through the CLI: the simulator started per config (one fails to
 * start as vLLM would), the same grid predicted {@code --offline}, a {@code {config} {port}} command template started
 * and stopped by pid, a server killed mid-sweep and resumed. Few requests, short prompts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SweepConfigsTest {

    /** llama-3.2-3b on a T4 at 60% of its memory: 4096 tokens fit, 32768 do not (vLLM's KV-cache check). */
    private static final String[] LLAMA_T4 = {"--model", "llama-3.2-3b-instruct", "--gpu", "t4",
            "--serve-grid", "max_model_len=4096,32768"};
    private static final String[] SMALL = {"--workload", "random", "--input-tokens", "32", "--output-tokens", "8",
            "--requests", "6", "--concurrency", "1,2"};

    @TempDir
    Path tmp;

    static CliRun sweep(Path out, String[]... argGroups) {
        List<String> all = new ArrayList<>(List.of("sweep", "--out", out.toString()));
        for (String[] group : argGroups) all.addAll(List.of(group));
        return CliRun.headroom(all.toArray(String[]::new));
    }

    static List<Map<String, String>> csv(Path file) throws IOException {
        return CsvTable.read(file);
    }

    private Path utilizationBase() throws IOException {
        return Files.writeString(tmp.resolve("base.yaml"), "gpu-memory-utilization: 0.6\n");
    }

    /**
     * Every value {@code headroom sim} would otherwise take from its chat recipe rather than vLLM's defaults, so the
     * planner (vLLM's defaults) and the child server agree.
     */
    private Path explicitBase() throws IOException {
        return Files.writeString(tmp.resolve("explicit.yaml"),
                "model: llama-3.2-3b-instruct\ngpu-memory-utilization: 0.6\nmax-model-len: 4096\n");
    }

    @Test
    void aServeGridOverTheSimulatorMapsWhichConfigsFailToStartAndOfflineGivesTheSameVerdicts() throws IOException {
        String[] base = {"--serve-base", utilizationBase().toString()};
        Path measured = tmp.resolve("measured");
        CliRun r = sweep(measured, LLAMA_T4, base, SMALL);
        assertThat(r.exit()).as(r.err()).isZero();

        List<Map<String, String>> configs = csv(measured.resolve("configs.csv"));
        assertThat(configs).extracting(c -> c.get("config")).containsExactly("max_model_len=4096", "max_model_len=32768");
        Map<String, String> ran = configs.get(0);
        assertThat(ran).containsEntry("status", "ran").containsEntry("predicted_starts", "true")
                .containsEntry("gpu_memory_utilization", "0.6").containsEntry("gpu", "t4").containsEntry("disagreement", "");
        assertThat(ran.get("reported_kv_cache_tokens")).isEqualTo(ran.get("predicted_kv_cache_tokens")).isNotEmpty();
        Map<String, String> failed = configs.get(1);
        assertThat(failed).containsEntry("status", "failed_to_start").containsEntry("failure", "kv_cache_too_small")
                .containsEntry("predicted_starts", "false").containsEntry("disagreement", "");
        assertThat(failed.get("message")).startsWith("ValueError: To serve at least one request with the models's max seq len (32768)")
                .isEqualTo("ValueError: " + failed.get("predicted_error"));
        assertThat(r.err()).contains("config 2/2 max_model_len=32768: failed_to_start (kv_cache_too_small): ValueError: To serve",
                "planner: refuses: To serve at least one request");

        List<Map<String, String>> points = csv(measured.resolve("capacity.csv"));
        assertThat(points).extracting(p -> p.get("dir")).containsExactly(
                "points/max_model_len=4096/random-c1", "points/max_model_len=4096/random-c2");
        assertThat(points).allSatisfy(p -> {
            assertThat(p).containsEntry("status", "ok").containsEntry("completed", "6").containsEntry("max_model_len", "4096")
                    .containsEntry("gpu_memory_utilization", "0.6").containsEntry("model", "llama-3.2-3b-instruct");
            assertThat(measured.resolve(p.get("dir")).resolve("summary.json")).isRegularFile();
        });
        assertThat(measured.resolve("points/max_model_len=4096/random-c1/run.yaml")).content().contains("simulated_target");
        assertThat(measured.resolve("servers/max_model_len=32768/server.log")).content().contains("EngineCore failed to start.");
        JsonNode sweepJson = new ObjectMapper().readTree(measured.resolve("sweep.json").toFile());
        assertThat(sweepJson.get("configs")).hasSize(2);
        assertThat(sweepJson.get("configs").get(1).get("failure").asText()).isEqualTo("kv_cache_too_small");

        Path predicted = tmp.resolve("predicted");
        CliRun offline = sweep(predicted, LLAMA_T4, base, SMALL, new String[] {"--offline"});
        assertThat(offline.exit()).as(offline.err()).isZero();
        List<Map<String, String>> offlineConfigs = csv(predicted.resolve("configs.csv"));
        for (int i = 0; i < 2; i++) {
            Map<String, String> expected = new LinkedHashMap<>(configs.get(i));
            expected.put("reported_kv_cache_tokens", "");
            expected.put("reported_max_concurrency", "");
            assertThat(offlineConfigs.get(i)).isEqualTo(expected);
        }
        assertThat(csv(predicted.resolve("capacity.csv"))).hasSize(2)
                .allSatisfy(p -> assertThat(p).containsEntry("predicted", "true").containsEntry("status", "ok"));
    }

    @Test
    void aCommandTemplateServesEachConfigAsAChildProcessStoppedByItsPid() throws IOException {
        Path out = tmp.resolve("template");
        CliRun r = sweep(out, new String[] {"--server", headroomSim(), "--startup-timeout", "90s", "--gpu", "t4",
                "--serve-base", explicitBase().toString(), "--serve-grid", "max_num_seqs=8"}, SMALL);
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> config = csv(out.resolve("configs.csv")).get(0);
        assertThat(config).containsEntry("config", "max_num_seqs=8").containsEntry("status", "ran")
                .containsEntry("max_num_seqs", "8").containsEntry("disagreement", "");
        assertThat(config.get("reported_kv_cache_tokens")).isEqualTo(config.get("predicted_kv_cache_tokens")).isNotEmpty();
        assertThat(csv(out.resolve("capacity.csv"))).hasSize(2).allSatisfy(p -> assertThat(p).containsEntry("status", "ok"));
        assertThat(out.resolve("servers/max_num_seqs=8/server.log")).content().contains("Application startup complete.");
        assertThat(out.resolve("servers/max_num_seqs=8/config.yaml")).content().contains("max_num_seqs: 8");
        assertThat(simChildren()).isEmpty();
    }

    @Test
    void aServerKilledMidSweepDiedUnderLoadAndResumeCompletesTheGrid() throws IOException {
        Path out = tmp.resolve("killed");
        String[] args = {"--server", headroomSim(), "--startup-timeout", "90s", "--gpu", "t4", "--serve-base",
                explicitBase().toString(), "--serve-grid", "max_num_seqs=8", "--workload", "random", "--input-tokens", "32", "--output-tokens", "8", "--requests", "6",
                "--concurrency", "1,2,4"};
        // The first point's progress line comes from the sweep's own thread between points: the server is killed
        // there, so the second point meets a dead server.
        int exit = sweepKillingAfterFirstPoint(out, args);
        assertThat(exit).isZero();
        Map<String, String> died = csv(out.resolve("configs.csv")).get(0);
        assertThat(died).containsEntry("status", "died_under_load").containsEntry("failure", "exited");
        assertThat(csv(out.resolve("capacity.csv"))).extracting(p -> p.get("status")).containsExactly("ok", "server_died", "server_died");
        String firstSummary = Files.readString(out.resolve("points/max_num_seqs=8/random-c1/summary.json"));

        List<String> resumed = new ArrayList<>(List.of("sweep", "--out", out.toString(), "--resume"));
        resumed.addAll(List.of(args));
        CliRun again = CliRun.headroom(resumed.toArray(String[]::new));
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).doesNotContain("random c=1:").contains("random c=2:", "random c=4:");
        assertThat(csv(out.resolve("capacity.csv"))).extracting(p -> p.get("status")).containsExactly("ok", "ok", "ok");
        assertThat(csv(out.resolve("configs.csv"))).singleElement().satisfies(c -> assertThat(c).containsEntry("status", "ran"));
        assertThat(Files.readString(out.resolve("points/max_num_seqs=8/random-c1/summary.json"))).isEqualTo(firstSummary);
        JsonNode sweepJson = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertThat(sweepJson.get("points")).hasSize(3);
        assertThat(sweepJson.get("configs")).singleElement().satisfies(c -> assertThat(c.get("status").asText()).isEqualTo("ran"));

        CliRun finished = CliRun.headroom(resumed.toArray(String[]::new));
        assertThat(finished.exit()).as(finished.err()).isZero();
        assertThat(finished.err()).contains("config 1/1 max_num_seqs=8: finished before; not started again");
        assertThat(simChildren()).isEmpty();
    }

    @Test
    void configOptionsBesideUrlOrWithoutConfigsAreOneLineErrors() {
        CliRun withUrl = CliRun.headroom("sweep", "--url", "http://127.0.0.1:1", "--serve-grid", "max_num_seqs=8",
                "--concurrency", "1", "--out", tmp.resolve("a").toString());
        assertThat(withUrl.exit()).isEqualTo(2);
        assertThat(withUrl.err().lines()).hasSize(1);
        assertThat(withUrl.err()).startsWith("headroom: --serve, --serve-grid, --serve-base, --server and --startup-timeout start servers");
        CliRun serverAlone = CliRun.headroom("sweep", "--server", "vllm", "--concurrency", "1", "--out", tmp.resolve("b").toString());
        assertThat(serverAlone.err()).startsWith("headroom: --server starts the configs of --serve");
        CliRun flagsWithGrid = CliRun.headroom("sweep", "--serve-grid", "max_num_seqs=8", "--max-model-len", "2048",
                "--concurrency", "1", "--out", tmp.resolve("c").toString());
        assertThat(flagsWithGrid.err()).startsWith("headroom: --config and the vLLM serving flags set the default config");
        CliRun badServer = CliRun.headroom("sweep", "--serve-grid", "max_num_seqs=8", "--server", "tgi",
                "--concurrency", "1", "--out", tmp.resolve("d").toString());
        assertThat(badServer.err()).startsWith("headroom: --server: 'tgi' is not one of sim, vllm");
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    /** Marks the child JVMs of these tests; it comes before the class path, as Linux shows only a command line's first 4 KiB. */
    private static final String MARKER = "-Dheadroom.test=sweep-configs-server";

    /** {@code headroom sim} as a child JVM from the test class path: the {@code {config} {port}} template. */
    static String headroomSim() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return "'" + java + "' " + MARKER + " -cp '" + System.getProperty("java.class.path")
                + "' dev.headroom.cli.Headroom sim --gpu t4 --config {config} --port {port}";
    }

    private static List<ProcessHandle> simChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(MARKER)).toList();
    }

    private static int sweepKillingAfterFirstPoint(Path out, String[] args) {
        List<String> all = new ArrayList<>(List.of("sweep", "--out", out.toString()));
        all.addAll(List.of(args));
        CommandLine cli = Headroom.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(new KillOnFirstPoint(), true));
        return cli.execute(all.toArray(String[]::new));
    }

    /** Kills the sweep's server (a child process, by its pid) once the first point's line is printed. */
    private static final class KillOnFirstPoint extends StringWriter {
        private boolean killed;

        @Override
        public void write(String str, int off, int len) {
            super.write(str, off, len);
            if (!killed && str.substring(off, off + len).contains("point 1/")) {
                killed = true;
                for (ProcessHandle p : simChildren()) {
                    p.destroyForcibly();
                    p.onExit().join();
                }
            }
        }
    }
}
