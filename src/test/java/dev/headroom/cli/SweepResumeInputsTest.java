package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep --resume} continues a capacity.csv an older headroom wrote, and refuses other inputs than the first run's. */
class SweepResumeInputsTest {

    /** Columns this version added after the first sweeps were written: an older capacity.csv lacks them. */
    private static final Set<String> NEWER = Set.of("client_limited", "valid", "short_outputs", "client_failed",
            "median_engine_queue_ms", "median_engine_ttft_ms", "median_ttft_outside_engine_ms",
            "p95_ttft_outside_engine_ms", "cancelled", "connections_opened");

    private static CliRun sweep(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("sweep", "--offline", "--out", out.toString(), "--workload", "chat",
                "--input-tokens", "64", "--output-tokens", "8", "--requests", "6"));
        all.addAll(List.of(args));
        return CliRun.headroom(all.toArray(String[]::new));
    }

    /** Rewrites capacity.csv without the newer columns, as an older headroom wrote it. */
    private static void makeOlder(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        List<String> older = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) if (!NEWER.contains(header.get(i))) kept.add(cells[i]);
            older.add(String.join(",", kept));
        }
        Files.write(csv, older);
    }

    @Test
    void resumeKeepsAnOlderCapacityCsvReadableUnderTheCurrentHeader(@TempDir Path dir) throws IOException {
        assertThat(sweep(dir, "--concurrency", "1,2").exit()).isZero();
        makeOlder(dir.resolve("capacity.csv"));
        Files.delete(dir.resolve("points/default/chat-c2/summary.json"));

        CliRun resumed = sweep(dir, "--concurrency", "1,2", "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();

        assertThat(Files.readAllLines(dir.resolve("capacity.csv")).get(0)).isEqualTo(String.join(",", CapacityCsv.COLUMNS));
        List<Map<String, String>> rows = CsvTable.read(dir.resolve("capacity.csv"));
        assertThat(rows).extracting(r -> r.get("concurrency")).containsExactly("1", "2");
        assertThat(rows.get(0)).as("the kept row: cells the older file lacked stay empty").containsEntry("valid", "")
                .containsEntry("median_engine_queue_ms", "").containsEntry("completed", "6");
        assertThat(rows.get(1)).as("the row run again is whole").containsEntry("valid", "true");

        CliRun analyze = CliRun.headroom("analyze", dir.toString());
        assertThat(analyze.exit()).as(analyze.err()).isZero();
        JsonNode points = new ObjectMapper().readTree(dir.resolve("analysis.json").toFile()).get("groups").get(0).get("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).get("valid").asBoolean()).as("an older row without valid reads as delivered").isTrue();
    }

    @Test
    void resumeWithOtherInputsIsRefusedNamingTheDifference(@TempDir Path dir) throws IOException {
        assertThat(sweep(dir, "--concurrency", "1,2").exit()).isZero();
        String before = Files.readString(dir.resolve("capacity.csv"));

        CliRun other = sweep(dir, "--concurrency", "1,2,4", "--slo", "p95_e2el=2s", "--resume");

        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err().strip()).doesNotContain("\n")
                .contains("--resume: the sweep in " + dir + " ran with other inputs")
                .contains("concurrency [1,2] then, [1,2,4] now")
                .contains("slo {\"chat\":\"p95_e2el=1500ms,e2el=1500ms\"} then, {\"chat\":\"p95_e2el=2s\"} now");
        assertThat(Files.readString(dir.resolve("capacity.csv"))).as("nothing of the first run is touched").isEqualTo(before);
    }

    @Test
    void resumeWithAnotherTraceTimeScaleIsRefused(@TempDir Path dir) throws Exception {
        String trace = RealismCliTest.mooncake().toString();
        CliRun first = CliRun.headroom("sweep", "--offline", "--out", dir.toString(), "--trace", trace, "--time-scale",
                "0.5", "--concurrency", "4");
        assertThat(first.exit()).as(first.err()).isZero();

        CliRun other = CliRun.headroom("sweep", "--offline", "--out", dir.toString(), "--trace", trace, "--time-scale",
                "0.25", "--concurrency", "4", "--resume");

        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("ran with other inputs").contains("time_scale 0.5 then, 0.25 now");
    }
}
