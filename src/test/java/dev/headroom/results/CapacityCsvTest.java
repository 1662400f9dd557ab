package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityCsvTest {

    @TempDir
    Path root;

    private Point point(String status, Map<String, Number> values) {
        return point(status, values, null);
    }

    private Point point(String status, Map<String, Number> values, String error) {
        ServedConfig served = ServedConfig.of(Map.of("model", "qwen", "gpu", "t4", "max_model_len", 4096,
                "gpu_memory_utilization", 0.9));
        return new Point("a,b", "chat", false, 8, 2.5, 0, status, root.resolve("points/a_b/chat-rate2.5-c8"), served,
                values, false, true, null, error, "test");
    }

    @Test
    void aPointWrittenReadsBackAsTheSamePoint() throws IOException {
        Path file = root.resolve("capacity.csv");
        Point written = point("ok", Map.of("completed", 30L, "failed", 2L, "short_outputs", 1L, "client_failed", 1L,
                "output_throughput", 123.25));
        try (CapacityCsv csv = CapacityCsv.create(file, root)) {
            csv.append(written);
            assertThat(csv.has("points/a_b/chat-rate2.5-c8")).isTrue();
        }
        Point read = CapacityCsv.read(file).get(0);
        assertThat(read.config()).as("a label with a comma is quoted and read back").isEqualTo("a,b");
        assertThat(read.dir()).isEqualTo(written.dir());
        assertThat(read.served()).isEqualTo(written.served());
        assertThat(read.values()).isEqualTo(written.values());
        assertThat(read.errors().clientFailed()).isEqualTo(1);
        assertThat(read.errors().shortOutputs()).isEqualTo(1);
        assertThat(Files.readAllLines(file).get(1)).contains(",30,2,").contains(",123.25,");
    }

    @Test
    void aToolErrorIsReadWithItsCauseAndIsNotTheServersFailure() throws IOException {
        Path file = root.resolve("capacity.csv");
        try (CapacityCsv csv = CapacityCsv.create(file, root)) {
            csv.append(point("tool_error", Map.of(), "java.nio.file.FileSystemException: requests.jsonl, x"));
        }
        Point read = CapacityCsv.read(file).get(0);
        assertThat(read.status()).isEqualTo("tool_error");
        assertThat(read.toolError()).isTrue();
        assertThat(read.broken()).as("a failure inside headroom is not the server's").isFalse();
        assertThat(read.error()).isEqualTo("java.nio.file.FileSystemException: requests.jsonl, x");
        assertThat(CsvTable.read(file).get(0)).as("a point that did not run states no validity")
                .containsEntry("valid", "").containsEntry("client_limited", "");
    }

    @Test
    void configsCsvKeepsOneRowPerConfigAndTheCommandThatStartedIt() throws IOException {
        Path file = root.resolve("configs.csv");
        ConfigRow failed = ConfigRow.of(Map.of("config", "big", "status", "failed_to_start", "message",
                "CUDA out of memory,\nTried to allocate", "command", "vllm serve qwen --max-model-len 32768"));
        ConfigsCsv.append(file, failed);
        ConfigsCsv.append(file, ConfigRow.of(Map.of("config", "big", "status", "ran", "reported_max_concurrency", 3.5,
                "command", "vllm serve qwen --max-model-len 32768")));
        List<ConfigRow> rows = ConfigsCsv.read(file);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).status()).isEqualTo("ran");
        assertThat(rows.get(0).command()).isEqualTo("vllm serve qwen --max-model-len 32768");
        assertThat(rows.get(0).maxConcurrency()).isEqualTo(3.5);
        ConfigsCsv.append(root.resolve("other.csv"), failed);
        assertThat(ConfigsCsv.read(root.resolve("other.csv")).get(0).message())
                .as("a log message stays on one line").isEqualTo("CUDA out of memory, Tried to allocate");
    }
}
