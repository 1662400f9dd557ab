package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.results.ConfigRow;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.VllmVersion;
import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A config grid over the embedded simulator: one config starts and runs, one fails the way vLLM fails. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigSweepSimTest {

    static final SimSettings T4 = new SimSettings(GpuSpec.of(Gpu.T4), VllmVersion.DEFAULT, RooflineCalibration.DEFAULTS,
            "llama-3.2-3b-instruct");

    @TempDir
    Path sweepDir;

    @Test
    void aConfigThatCannotHoldMaxModelLenFailsWithVllmsMessageBesideThePlannersPrediction() throws Exception {
        List<ServeVariant> grid = ServeGrid.fromGrid(Map.of("gpu_memory_utilization", 0.6), "max_model_len=4096,32768");
        FakeLoadGrid load = FakeLoadGrid.politeOneRequest();
        List<String> progress = new ArrayList<>();
        ConfigSweep sweep = ConfigSweep.launching(ServerLaunchers.of("sim", T4, null), T4, load, sweepDir, progress::add);

        List<ConfigOutcome> outcomes = sweep.run(grid);

        assertThat(load.configsRun).containsExactly("max_model_len=4096");
        assertThat(load.statusCodes).containsExactly(200);
        ConfigOutcome ran = outcomes.get(0);
        assertThat(ran.status()).isEqualTo(Status.RAN);
        assertThat(ran.plan().starts()).isTrue();
        assertThat(ran.reportedKvCacheTokens()).isEqualTo(ran.plan().kvCacheTokens()).isPositive();
        assertThat(ran.reportedMaxConcurrency()).isEqualTo(Math.round(ran.plan().maxConcurrency() * 100) / 100.0);
        assertThat(ran.disagreement()).isNull();

        ConfigOutcome failed = outcomes.get(1);
        assertThat(failed.status()).isEqualTo(Status.FAILED_TO_START);
        assertThat(failed.failure()).isEqualTo(StartFailure.KV_CACHE_TOO_SMALL);
        assertThat(failed.message()).startsWith("ValueError: To serve at least one request with the models's max seq len (32768)");
        assertThat(failed.plan().starts()).isFalse();
        assertThat(failed.message()).isEqualTo("ValueError: " + failed.plan().error());
        assertThat(failed.disagreement()).isNull();

        List<String> csv = Files.readAllLines(sweepDir.resolve("configs.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo(String.join(",", ConfigRow.COLUMNS)).startsWith("config,model,gpu,gpu_memory_utilization,");
        assertThat(csv.get(1)).startsWith("max_model_len=4096,llama-3.2-3b-instruct,t4,0.6,4096,").contains(",ran,,,");
        // The planner's figures beside the refusal: the tokens it would have sized and the concurrency they give.
        assertThat(csv.get(2)).contains(",false," + failed.plan().kvCacheTokens() + "," + failed.plan().maxConcurrency()
                + ",\"To serve at least one request", ",failed_to_start,kv_cache_too_small,");
        assertThat(sweepDir.resolve("servers/max_model_len=32768/server.log")).content().contains("EngineCore failed to start.");
        assertThat(progress.get(1)).contains("config 2/2 max_model_len=32768: failed_to_start (kv_cache_too_small)",
                "planner: refuses: To serve at least one request");
    }

    @Test
    void aBadKeyIsABadConfigAndARerunConfigReplacesItsRow() throws Exception {
        ConfigSweep sweep = ConfigSweep.launching(ServerLaunchers.of("sim", T4, null), T4, FakeLoadGrid.politeOneRequest(),
                sweepDir, line -> { });
        List<ServeVariant> grid = ServeGrid.fromGrid(Map.of(), "max_num_seqs=-3");
        sweep.run(grid);
        List<ConfigOutcome> again = sweep.run(grid);
        assertThat(again.get(0).failure()).isEqualTo(StartFailure.BAD_CONFIG);
        assertThat(again.get(0).message()).isEqualTo("--max-num-seqs: bad value '-3'; expected a positive integer");
        assertThat(Files.readAllLines(sweepDir.resolve("configs.csv"))).hasSize(2);
    }
}
