package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.Point;
import dev.headroom.results.ServedConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report judges points with analyze's Judge: a load where most requests failed is neither within the SLO nor the peak. */
class ReportJudgeTest {

    private static Point point(Path root, int concurrency, long completed, long failed, double throughput) {
        return new Point("default", "summarize", false, concurrency, null, 0, "ok",
                root.resolve("points/default/summarize-c" + concurrency), ServedConfig.of(Map.of("gpu", "t4")),
                Map.of("completed", completed, "failed", failed, "output_throughput", throughput, "p95_e2el_ms", 900.0),
                false, true, null, null, "test");
    }

    @Test
    void aLoadWhere23Of32RequestsFailedIsNotWithinTheSloAndNotThePeak(@TempDir Path root) throws IOException {
        try (CapacityCsv csv = CapacityCsv.create(root.resolve("capacity.csv"), root)) {
            csv.append(point(root, 1, 32, 0, 100));
            csv.append(point(root, 4, 9, 23, 400));
        }
        Curve c = Study.of(List.of(SweepResults.read(root))).curves().get(0);
        LoadPoint c1 = c.at(1).orElseThrow();
        LoadPoint c4 = c.at(4).orElseThrow();

        assertThat(Costs.meetsSlo(c, c1)).isEqualTo("yes");
        assertThat(Costs.meetsSlo(c, c4)).isEqualTo("no (72% of requests failed or cut short by the server)");
        assertThat(c.peak()).as("the survivors' throughput is no throughput the server gives").contains(c1);
    }
}
