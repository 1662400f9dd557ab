package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.load.Api;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.workload.LoadPattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSpecTest {

    private static final LoadPoint BASE = new LoadPoint(Api.CHAT, "chat", null, null, LoadPattern.closedLoop(1), 10, null,
            0, 7, true, Map.of(), Duration.ofSeconds(30), 1, null);

    private static GridSpec grid(List<Integer> c, List<Double> rates, int repeats) {
        return new GridSpec(BASE, List.of("chat", "summarize"), c, rates, 1, repeats, null, true);
    }

    @Test
    void pointsRunWorkloadByWorkloadThenLevelThenRepeatInNamedFolders() {
        List<GridPoint> points = grid(List.of(1, 4), List.of(), 2).points("default");
        assertThat(points).extracting(GridPoint::dir).containsExactly("points/default/chat-c1-r0", "points/default/chat-c1-r1",
                "points/default/chat-c4-r0", "points/default/chat-c4-r1", "points/default/summarize-c1-r0",
                "points/default/summarize-c1-r1", "points/default/summarize-c4-r0", "points/default/summarize-c4-r1");
        List<GridPoint> rates = grid(List.of(16), List.of(0.5, 2.0), 1).points("max_num_seqs=64,max_model_len=4096");
        assertThat(rates).extracting(GridPoint::dir).startsWith("points/max_num_seqs=64,max_model_len=4096/chat-rate0.5-c16",
                "points/max_num_seqs=64,max_model_len=4096/chat-rate2-c16");
        assertThat(grid(List.of(), List.of(3.0), 1).points("x").get(0).point().concurrencyOrNull()).isNull();
    }

    @Test
    void eachPointDrawsItsOwnPromptsWhateverTheRestOfTheGrid() {
        List<GridPoint> a = grid(List.of(1, 2, 4), List.of(), 2).points("default");
        List<GridPoint> b = grid(List.of(2, 8), List.of(), 2).points("other");
        assertThat(a).extracting(p -> p.point().seed()).doesNotHaveDuplicates();
        assertThat(a.get(2).point().seed()).as("chat c=2 r0 in both grids").isEqualTo(b.get(0).point().seed());
    }

    @Test
    void repeatsOfAPointUnderAnotherSeedDrawTheirOwnPromptsAndLengths() {
        // The demo's repeat of chat-t4's recommended load: chat-t4 ran it once under --seed 0, the repeat sweep runs it
        // 3 times under --seed 1. All four runs must sample their own prompts, or the interval would not reflect sampling.
        GridSpec original = new GridSpec(BASE.withSeed(0), List.of("chat"), List.of(8), List.of(), 1, 1, null, true);
        GridSpec repeats = new GridSpec(BASE.withSeed(1), List.of("chat"), List.of(8), List.of(), 1, 3, null, true);
        List<Long> seeds = new java.util.ArrayList<>();
        original.points("default").forEach(p -> seeds.add(p.point().seed()));
        repeats.points("default").forEach(p -> seeds.add(p.point().seed()));
        assertThat(seeds).hasSize(4).doesNotHaveDuplicates();
        dev.headroom.workload.TokenCounter counter = dev.headroom.workload.TokenCounter.cl100k();
        List<List<Integer>> lengths = seeds.stream().map(seed -> dev.headroom.workload.Workload.parse("chat", null, null)
                .prompts(20, seed, counter).stream().map(p -> p.inputTokens() * 10_000 + p.outputTokens()).toList()).toList();
        assertThat(lengths).doesNotHaveDuplicates();
        // Under the same --seed, a repeat sweep's first run would send exactly the original's prompts.
        GridSpec sameSeed = new GridSpec(BASE.withSeed(0), List.of("chat"), List.of(8), List.of(), 1, 3, null, true);
        assertThat(sameSeed.points("default").get(0).point().seed()).isEqualTo(seeds.get(0));
    }

    @Test
    void theDefaultSloIsThePlaybooksPerWorkload() {
        GridSpec g = grid(List.of(1), List.of(), 1);
        assertThat(g.sloFor("chat").spec()).isEqualTo("p95_e2el=1500ms,e2el=1500ms");
        assertThat(g.sloFor("summarize").spec()).isEqualTo("p95_e2el=5000ms,e2el=5000ms");
        assertThatThrownBy(() -> grid(List.of(), List.of(), 1)).hasMessageContaining("--concurrency LIST and/or --rate LIST");
        assertThatThrownBy(() -> grid(List.of(0), List.of(), 1)).hasMessageContaining("--concurrency");
    }
}
