package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** configs/vllm: the playbook's recipes parse as vLLM --config files and start on the GPUs they are meant for. */
class ShippedConfigsTest {

    static final Path DIR = Path.of("configs/vllm");

    /** Every shipped file, the GPUs it is meant for, and the top of the playbook's concurrency range for it. */
    record Recipe(List<Gpu> gpus, int playbookConcurrency) {}

    static final Map<String, Recipe> MEANT_FOR = Map.of(
            "qwen2p5_1p5b_chat_16gb.yaml", new Recipe(List.of(Gpu.T4), 16),
            "qwen2p5_1p5b_batch_16gb.yaml", new Recipe(List.of(Gpu.T4), 32),
            "qwen2p5_1p5b_chat_a100_h100.yaml", new Recipe(List.of(Gpu.A100_40GB, Gpu.A100_80GB, Gpu.H100), 64));

    @Test
    void everyShippedFileIsCheckedHere() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(MEANT_FOR.keySet());
        }
    }

    @ParameterizedTest
    @CsvSource({"qwen2p5_1p5b_chat_16gb.yaml", "qwen2p5_1p5b_batch_16gb.yaml", "qwen2p5_1p5b_chat_a100_h100.yaml"})
    void parsesAndThePlannerSaysItStartsOnItsGpusWithRoomForThePlaybooksConcurrency(String name) {
        Path file = DIR.resolve(name);
        ServeFlags strict = ServeFlags.fromYaml(file);
        assertThat(strict.model()).isEqualTo(SimLauncher.DEFAULT_MODEL);
        ServeVariant variant = ServeGrid.single(file);
        Recipe recipe = MEANT_FOR.get(name);
        for (Gpu gpu : recipe.gpus()) {
            PlanCheck plan = PlanCheck.of(variant, new SimSettings(GpuSpec.of(gpu), VllmVersion.DEFAULT,
                    RooflineCalibration.DEFAULTS, SimLauncher.DEFAULT_MODEL));
            assertThat(plan.starts()).as("%s on %s: %s", name, gpu, plan.error()).isTrue();
            // The KV cache must hold the playbook's concurrency at full max_model_len, so no request is preempted.
            assertThat(plan.maxConcurrency()).as("%s on %s", name, gpu).isGreaterThanOrEqualTo(recipe.playbookConcurrency());
        }
    }

    @Test
    void theChatRecipeIsThePlaybooks() {
        assertThat(ServeGrid.single(DIR.resolve("qwen2p5_1p5b_chat_16gb.yaml")).values())
                .containsEntry("model", "Qwen/Qwen2.5-1.5B-Instruct").containsEntry("gpu_memory_utilization", 0.8)
                .containsEntry("max_model_len", 4096).containsEntry("max_num_seqs", 128);
        assertThat(ServeGrid.single(DIR.resolve("qwen2p5_1p5b_chat_a100_h100.yaml")).values())
                .containsEntry("gpu_memory_utilization", 0.85).containsEntry("max_num_seqs", 256);
    }
}
