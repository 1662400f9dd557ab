package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --serve, --serve-base and --serve-grid into server configs. */
class ServeGridTest {

    @TempDir
    Path dir;

    @Test
    void gridIsTheCartesianProductOverTheBaseWithReadableLabels() throws IOException {
        Path base = Files.writeString(dir.resolve("base.yaml"), """
                model: Qwen/Qwen2.5-1.5B-Instruct
                gpu-memory-utilization: 0.8
                max_num_seqs: 256
                """);
        List<ServeVariant> variants = ServeGrid.variants(null, base,
                "max_num_seqs=64,128; max-num-batched-tokens=2048,8192");
        assertThat(variants).extracting(ServeVariant::label).containsExactly(
                "max_num_seqs=64,max_num_batched_tokens=2048", "max_num_seqs=64,max_num_batched_tokens=8192",
                "max_num_seqs=128,max_num_batched_tokens=2048", "max_num_seqs=128,max_num_batched_tokens=8192");
        ServeVariant last = variants.get(3);
        assertThat(last.values()).containsEntry("model", "Qwen/Qwen2.5-1.5B-Instruct")
                .containsEntry("gpu_memory_utilization", 0.8).containsEntry("max_num_seqs", 128)
                .containsEntry("max_num_batched_tokens", 8192);
        assertThat(last.source()).isNull();
    }

    @Test
    void gridValuesAreTypedAsYamlWouldTypeThem() {
        List<ServeVariant> v = ServeGrid.variants(null, null,
                "enable_prefix_caching=true;gpu_memory_utilization=0.85;max_model_len=32k;model=Qwen/Qwen2.5-1.5B-Instruct");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).values()).containsEntry("enable_prefix_caching", true)
                .containsEntry("gpu_memory_utilization", 0.85).containsEntry("max_model_len", "32k");
        assertThat(v.get(0).label()).isEqualTo(
                "enable_prefix_caching=true,gpu_memory_utilization=0.85,max_model_len=32k,model=Qwen_Qwen2.5-1.5B-Instruct");
    }

    @Test
    void serveFilesAreOneVariantEachLabelledByFileNameAndMadeUnique() throws IOException {
        Path a = Files.writeString(dir.resolve("chat.yaml"), "max_model_len: 4096\n");
        Files.createDirectories(dir.resolve("other"));
        Path b = Files.writeString(dir.resolve("other/chat.yml"), "max-model-len: 8192\n");
        Path base = Files.writeString(dir.resolve("base.yaml"), "model: qwen2.5-1.5b-instruct\nmax_model_len: 2048\n");
        List<ServeVariant> v = ServeGrid.variants(a + "," + b, base, null);
        assertThat(v).extracting(ServeVariant::label).containsExactly("chat", "chat-2");
        assertThat(v.get(0).values()).containsEntry("max_model_len", 4096).containsEntry("model", "qwen2.5-1.5b-instruct");
        assertThat(v.get(1).values()).containsEntry("max_model_len", 8192);
        assertThat(v.get(1).source()).isEqualTo(b);
    }

    @Test
    void noOptionsMeansNoVariantsAndTheDefaultIsVllmsOwnDefaults() {
        assertThat(ServeGrid.variants(null, null, null)).isEmpty();
        ServeVariant d = ServeGrid.embeddedDefault();
        assertThat(d.label()).isEqualTo("default");
        PlanCheck plan = PlanCheck.of(d, SimSettings.embeddedDefault());
        assertThat(plan.serverValues()).containsEntry("gpu", "t4").containsEntry("max_model_len", 32768)
                .containsEntry("max_num_seqs", 256).containsEntry("gpu_memory_utilization", 0.9);
        assertThat(plan.kvCacheTokens()).isEqualTo(dev.headroom.plan.Planner.plan(
                dev.headroom.server.SimLauncher.embeddedDefaultSetup()).kvCacheTokens());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            max_num_seqs                       | --serve-grid: 'max_num_seqs' has no '='
            max_num_seqs=64,,128               | --serve-grid: key 'max_num_seqs' has an empty value in '64,,128'
            max_num_seqs=64;max-num-seqs=128   | --serve-grid: key 'max_num_seqs' is given twice
            max_num_seqs=64,64                 | --serve-grid: key 'max_num_seqs' lists '64' twice
            '=64'                              | --serve-grid: '' is not a vLLM flag name
            9x=1                               | --serve-grid: '9x' is not a vLLM flag name
            ' ; '                              | --serve-grid: ' ; ' names no key
            """)
    void badGridsAreOneLineNamingTheOption(String grid, String error) {
        assertThatThrownBy(() -> ServeGrid.variants(null, null, grid)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(error).hasMessageNotContaining("\n");
    }

    @Test
    void badFilesAndCombinationsAreOneLine() throws IOException {
        assertThatThrownBy(() -> ServeGrid.variants("missing.yaml", null, null))
                .hasMessage("--serve: file 'missing.yaml' not found");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        assertThatThrownBy(() -> ServeGrid.variants(null, list, "max_num_seqs=1"))
                .hasMessageStartingWith("--serve-base: '" + list + "' must be a mapping");
        assertThatThrownBy(() -> ServeGrid.variants("a.yaml,,b.yaml", null, null)).hasMessageStartingWith("--serve: ");
        assertThatThrownBy(() -> ServeGrid.variants("a.yaml", null, "max_num_seqs=1"))
                .hasMessageStartingWith("--serve and --serve-grid cannot be combined");
        assertThatThrownBy(() -> ServeGrid.variants(null, null, "")).hasMessageStartingWith("--serve-grid: empty");
    }

    @Property(tries = 60)
    void everyCellOnceWithAUniqueFileSafeLabel(@ForAll @IntRange(min = 1, max = 4) int keys,
                                               @ForAll @IntRange(min = 1, max = 4) int valuesPerKey) {
        String grid = java.util.stream.IntStream.range(0, keys).mapToObj(k -> "key_" + k + "="
                + java.util.stream.IntStream.range(0, valuesPerKey).mapToObj(v -> k + "/" + v).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
        List<ServeVariant> variants = ServeGrid.fromGrid(Map.of(), grid);
        assertThat(variants).hasSize((int) Math.pow(valuesPerKey, keys));
        assertThat(new HashSet<>(variants.stream().map(ServeVariant::values).toList())).hasSize(variants.size());
        assertThat(variants).extracting(ServeVariant::label).doesNotHaveDuplicates()
                .allMatch(l -> l.matches("[A-Za-z0-9._+=,-]+"));
    }
}
