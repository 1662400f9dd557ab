package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @TempDir
    Path dir;

    @Test
    void writesPrettyJsonInMapOrderAndReadsItBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", 12.5);
        m.put("completed", 100);
        m.put("request_goodput", null);
        m.put("p99.9_ttft_ms", 812.25);
        m.put("slo", Map.of("pass", true));
        Path file = dir.resolve("out/summary.json");
        SummaryJson.write(file, m);
        String text = Files.readString(file);
        assertThat(text).contains("\n  \"duration\" : 12.5,").contains("\"request_goodput\" : null");
        Map<String, Object> back = SummaryJson.read(file);
        assertThat(new ArrayList<>(back.keySet())).containsExactly("duration", "completed", "request_goodput",
                "p99.9_ttft_ms", "slo");
        assertThat(back).containsEntry("p99.9_ttft_ms", 812.25).containsEntry("completed", 100);
    }

    @Test
    void runYamlKeepsNestingAndQuotesAmbiguousStrings() throws Exception {
        Map<String, Object> serve = new LinkedHashMap<>();
        serve.put("max_num_seqs", 256);
        serve.put("vllm_version", "0.10");
        serve.put("enable_prefix_caching", true);
        serve.put("note", "yes");
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool_version", "0.1.0");
        run.put("serve", serve);
        run.put("concurrency", List.of(1, 2, 4));
        Path file = dir.resolve("run.yaml");
        RunYaml.write(file, run);
        assertThat(Files.readString(file)).startsWith("tool_version:").contains("  max_num_seqs: 256");
        Map<String, Object> back = RunYaml.read(file);
        assertThat(back).isEqualTo(run);
    }
}
