package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure inside headroom during a point (here: it cannot write the point's requests.jsonl, a folder stands in its
 * way) is headroom's, not the server's: the point is {@code tool_error} with its cause, the sweep goes on to the next
 * point, and exits non-zero with a last line saying so.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SweepToolErrorTest {

    @TempDir
    Path dir;

    @Test
    void aToolExceptionInAPointIsAToolErrorWithItsCauseAndTheSweepExitsNonZero() throws IOException {
        Files.createDirectories(dir.resolve("points/default/random-c1/requests.jsonl"));

        CliRun r = SweepCommandTest.sweep(dir, "--concurrency", "1,2");

        assertThat(r.exit()).as(r.err()).isEqualTo(Errors.FAILURE);
        List<Map<String, String>> rows = SweepCommandTest.rows(dir);
        assertThat(rows).extracting(row -> row.get("status")).containsExactly("tool_error", "ok");
        assertThat(rows.get(0).get("error")).startsWith("FileSystemException: ").contains("requests.jsonl");
        assertThat(rows.get(1).get("error")).isEmpty();
        assertThat(r.err()).contains("point 1/2 default random c=1: no request completed [tool_error: FileSystemException: ");
        List<String> errLines = r.err().strip().lines().toList();
        assertThat(errLines.getLast()).startsWith("headroom: headroom failed on 1 point(s) (status tool_error, not the "
                + "server's doing; each cause is in capacity.csv's error column and in sweep.json)");

        JsonNode sweep = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertThat(sweep.get("points").get(0).get("error").asText()).contains("requests.jsonl");
        assertThat(sweep.get("outcome").toString()).isEqualTo(
                "{\"complete\":false,\"points_ok\":1,\"points_failed\":1,\"tool_errors\":1,\"server_errors\":0,\"configs_failed\":0}");
    }

    @Test
    void aResumedSweepRunsAPointHeadroomFailedOnAgain() throws IOException {
        Files.createDirectories(dir.resolve("points/default/random-c1/requests.jsonl"));
        assertThat(SweepCommandTest.sweep(dir, "--concurrency", "1").exit()).isEqualTo(Errors.FAILURE);
        Files.delete(dir.resolve("points/default/random-c1/requests.jsonl"));

        CliRun again = SweepCommandTest.sweep(dir, "--concurrency", "1", "--resume");

        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(SweepCommandTest.rows(dir)).extracting(row -> row.get("status")).containsExactly("ok");
    }

    @Test
    void aCompleteSweepSaysSoInSweepJsonAndPrintsNoOutcomeLine() throws IOException {
        CliRun r = SweepCommandTest.sweep(dir, "--concurrency", "1");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode sweep = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertThat(sweep.get("outcome").toString()).isEqualTo(
                "{\"complete\":true,\"points_ok\":1,\"points_failed\":0,\"tool_errors\":0,\"server_errors\":0,\"configs_failed\":0}");
        assertThat(r.err()).doesNotContain("partial sweep", "headroom failed");
    }
}
