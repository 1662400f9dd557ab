package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versioned config files beside the playbook, in the lab's layout, each named by its recipe. */
class ServeConfigFilesTest {

    @TempDir
    Path tmp;

    @Test
    void eachRecipeWithKnownFlagsGetsItsFileInTheLabsLayoutNamedInTheRecipe() throws Exception {
        Study study = study(SweepFixtures.all(tmp.resolve("in")));
        Path out = tmp.resolve("playbook");

        PlaybookWriter.write(study, out);

        List<String> files;
        try (Stream<Path> list = Files.list(out.resolve("configs/vllm"))) {
            files = list.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactly("qwen2p5_1p5b_batch_40gb.yaml", "qwen2p5_1p5b_chat_16gb.yaml");
        String md = Files.readString(out.resolve("playbook.md"));
        for (String f : files) assertThat(md).contains("Config: `vllm serve --config configs/vllm/" + f + "`");
        String chat = Files.readString(out.resolve("configs/vllm/qwen2p5_1p5b_chat_16gb.yaml"));
        Recipe recipe = Recipe.of(study).get(0);
        assertThat(chat).startsWith("# vLLM server config: chat on T4 16 GB.\n# Start it: vllm serve --config <this file>")
                .contains("# Written by headroom ", "; config hash " + Handover.hash(recipe.serve()) + " ")
                .contains("\nmodel: Qwen/Qwen2.5-1.5B-Instruct\n")
                .endsWith(ServeConfigText.yaml(recipe));
        assertThat(md).contains(Handover.hash(recipe.serve()));
    }

    @Test
    void aRecipeOfAServerHeadroomDidNotStartGetsNoFileAndSaysSo() throws Exception {
        Path sweep = SweepFixtures.batchPredicted(tmp.resolve("batch"));
        forgetServeFlags(sweep.resolve("capacity.csv"));
        Path out = tmp.resolve("playbook");

        PlaybookWriter.write(study(List.of(sweep)), out);

        assertThat(out.resolve("configs")).doesNotExist();
        assertThat(Files.readString(out.resolve("playbook.md"))).contains("no config file is written for it");
    }

    @Test
    void twoGpuClassesOfOneMemorySizeAreToldApartByTheGpu() throws Exception {
        Study study = study(List.of(SweepFixtures.batchPredicted(tmp.resolve("a"), "a10g", 100_000, 64),
                SweepFixtures.batchPredicted(tmp.resolve("b"), "l4", 100_000, 64)));
        List<Recipe> recipes = Recipe.of(study);

        assertThat(recipes).extracting(r -> ServeConfigFiles.name(r, recipes)).containsExactly(
                "configs/vllm/qwen2p5_1p5b_batch_24gb_a10g.yaml", "configs/vllm/qwen2p5_1p5b_batch_24gb_l4.yaml");
    }

    /** Empties capacity.csv's server flag columns, as a sweep of a server at {@code --url} leaves them. */
    private static void forgetServeFlags(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (String flag : List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs", "max_num_batched_tokens",
                    "enable_prefix_caching", "enable_chunked_prefill")) {
                cells[header.indexOf(flag)] = "";
            }
            out.add(String.join(",", cells));
        }
        Files.write(csv, out);
    }

    private static Study study(List<Path> dirs) throws Exception {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path d : dirs) sweeps.add(SweepResults.read(d));
        return Study.of(sweeps);
    }
}
