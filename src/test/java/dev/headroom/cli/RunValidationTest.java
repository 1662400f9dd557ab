package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad option of run and sweep is refused in one line naming it, before a simulator starts or a file is written. */
class RunValidationTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "run   | --concurrency -4             | --concurrency",
        "run   | --rate -1                    | --rate",
        "run   | --slo ttft=abc               | --slo",
        "run   | --input-tokens 0             | --input-tokens",
        "run   | --output-tokens -3           | --output-tokens",
        "run   | --range-ratio 1.5            | --range-ratio",
        "run   | --input-stddev -2            | --input-stddev",
        "run   | --output-stddev 20           | --output-tokens",
        "run   | --header NoColon             | --header",
        "run   | --duration 0s                | --duration",
        "run   | --prefix-hit-target 1.5      | --prefix-hit-target",
        "run   | --prefix-hit-target 0.99     | --prefix-hit-target",
        "run   | --prefix-groups 4            | --prefix-groups",
        "run   | --turns 0                    | --turns",
        "run   | --think-time 2s              | --think-time",
        "run   | --time-scale 2               | --time-scale",
        "run   | --include-multi-turn         | --include-multi-turn",
        "run   | --workload summarize --shared-prefix-tokens 64 | --shared-prefix-tokens",
        "run   | --workload random --turns 3  | --turns",
        "run   | --trace missing.jsonl        | missing.jsonl",
        "run   | --turns 3 --prefix-hit-target 0.5 | --prefix-hit-target",
        "sweep | --concurrency 1 --prefix-hit-target 2  | --prefix-hit-target",
        "sweep | --concurrency 1 --header NoColon       | --header",
        "sweep | --concurrency 1 --input-tokens 0       | --input-tokens",
    })
    void isRefusedInOneLineBeforeAnythingStarts(String verb, String options, String named) {
        Path out = dir.resolve("out");
        String[] args = RealismCliTest.args(new String[] {verb, "--out", out.toString(), "--no-progress"}, options.split(" "));
        CliRun r = CliRun.headroom(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("headroom: ").contains(named);
        assertThat(Files.exists(out)).as("results folder").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "data.jsonl | {\"prompt\": \"hi\"}\\nnot json | data.jsonl line 2: expected a JSON object",
        "data.jsonl | {\"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}]} | data.jsonl line 1: expected \"messages\" with at least one \"user\" message",
    })
    void aBadDatasetNamesItsFileAndLineBeforeAnythingStarts(String name, String content, String message) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content.replace("\\n", "\n"));
        Path out = dir.resolve("out");
        CliRun r = CliRun.headroom("run", "--workload", "dataset:" + file, "--out", out.toString(), "--no-progress");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(Files.exists(out)).isFalse();
    }
}
