package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A failure inside headroom during {@code run} is reported as headroom's, with its cause, and exits non-zero. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunToolErrorTest {

    @Test
    void aToolExceptionDuringARunIsHeadroomsWithItsCause(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("requests.jsonl"));

        CliRun r = CliRun.headroom("run", "--out", dir.toString(), "--workload", "random", "--input-tokens", "32",
                "--output-tokens", "8", "--requests", "4", "--no-progress");

        assertThat(r.exit()).as(r.err()).isEqualTo(Errors.FAILURE);
        assertThat(r.err().strip().lines().toList().getLast())
                .startsWith("headroom: headroom failed during the run (a tool error, not the server's doing): "
                        + "FileSystemException: ")
                .contains("requests.jsonl")
                .endsWith("what was written so far is in " + dir);
    }
}
