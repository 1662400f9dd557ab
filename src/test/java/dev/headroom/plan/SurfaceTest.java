package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.VllmVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SurfaceTest {

    private static final ModelSpec QWEN7B = ModelSpec.resolve("qwen2.5-7b-instruct");
    private static final List<Integer> LENS = List.of(1024, 2048, 4096, 8192, 16384, 32768);

    private static List<Surface.Cell> grid(List<Integer> lens, List<Integer> seqs, List<Double> utils) {
        return Surface.compute(QWEN7B, GpuSpec.of(Gpu.L4), ServeFlags.NONE, VllmVersion.DEFAULT, lens, seqs, utils, List.of());
    }

    @Test
    void coversEveryCombinationAndExplainsFailures() {
        List<Surface.Cell> cells = grid(LENS, List.of(64, 256), List.of(0.6, 0.8, 0.9, 0.99));
        assertThat(cells).hasSize(6 * 2 * 4);
        assertThat(cells).anyMatch(c -> c.plan().fits());
        assertThat(cells).filteredOn(c -> c.serve().gpuMemoryUtilization() == 0.99)
                .allMatch(c -> c.verdict().equals("utilization above free memory"));
        assertThat(cells).filteredOn(c -> c.serve().gpuMemoryUtilization() == 0.6 && c.serve().maxModelLen() == 32768)
                .allMatch(c -> !c.plan().fits());
    }

    @Test
    void moreMemoryNeverShrinksTheCacheAndLongerContextsNeverRaiseConcurrency() {
        List<Double> utils = new ArrayList<>();
        for (double u = 0.70; u <= 0.951; u += 0.05) utils.add(Math.round(u * 100) / 100.0);
        List<Surface.Cell> cells = grid(LENS, List.of(128), utils);
        for (Surface.Cell a : cells) {
            for (Surface.Cell b : cells) {
                if (!a.plan().kvSized() || !b.plan().kvSized()) continue;
                if (a.serve().maxModelLen() == b.serve().maxModelLen()
                        && a.serve().gpuMemoryUtilization() < b.serve().gpuMemoryUtilization()) {
                    assertThat(a.plan().kvCacheTokens()).isLessThanOrEqualTo(b.plan().kvCacheTokens());
                }
                if (a.serve().gpuMemoryUtilization() == b.serve().gpuMemoryUtilization()
                        && a.serve().maxModelLen() < b.serve().maxModelLen()) {
                    assertThat(a.plan().maxConcurrency()).isGreaterThanOrEqualTo(b.plan().maxConcurrency());
                }
            }
        }
    }

    @Test
    void aTenByTenByFiveGridTakesWellUnderASecond() {
        List<Integer> lens = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            lens.add(i * 3000);
            seqs.add(i * 16);
        }
        List<Double> utils = List.of(0.5, 0.6, 0.7, 0.8, 0.9);
        for (int i = 0; i < 3; i++) assertThat(grid(lens, seqs, utils)).hasSize(500);
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            grid(lens, seqs, utils);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        assertThat(millis[millis.length / 2]).as("median ms for 500 cells").isLessThan(500);
    }
}
