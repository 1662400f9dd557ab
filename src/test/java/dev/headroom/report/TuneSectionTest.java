package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.TuneJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneSectionTest {

    @TempDir
    Path tmp;

    static TuneJson tune(boolean confirmed) {
        Map<String, Object> win = new LinkedHashMap<>();
        win.put("max_num_seqs", 64);
        win.put("kv_cache_dtype", "auto");
        Map<String, Object> second = new LinkedHashMap<>(win);
        second.put("max_num_seqs", 16);
        TuneJson.Config chosen = new TuneJson.Config("c001", win, 10.8, 10, confirmed ? 12.4 : null,
                confirmed ? "started; 4 load points" : null);
        TuneJson.Config runner = new TuneJson.Config("c000", second, 10.1, 10, confirmed ? 9.0 : null, null);
        Map<String, Double> effects = new LinkedHashMap<>();
        effects.put("max_num_seqs", 6.5);
        effects.put("kv_cache_dtype", 0.0);
        return new TuneJson("chat", "Qwen/Qwen2.5-1.5B-Instruct", "t4", "latency", "concurrency", "p95 E2E ≤ 1.50 s",
                12, 4, "exhaustive", "8 configs would take about 6 s offline", 48, 5.5, effects, 100, List.of("kv_cache_dtype"),
                List.of(chosen, runner), chosen, confirmed ? "measurement" : "prediction",
                "model: Qwen/Qwen2.5-1.5B-Instruct\nmax_num_seqs: 64\n", runner,
                "measured 9.0 concurrency against the chosen config's 12.4", true, null,
                confirmed ? new TuneJson.Cost(2, 7, 1.5, false) : null, new TuneJson.Cost(12, 96, confirmed ? 40.0 : null, true));
    }

    @Test
    void theSectionPutsPredictedAndMeasuredSideBySideWithTheCostAgainstABruteForceGrid() {
        Doc doc = new Doc("t");
        TuneSection.section(doc, tune(true));
        String md = Markdown.render(Glossary.plain(doc));

        assertThat(md).contains("Tuned server settings: chat on T4", "chosen by measurement: predicted concurrency 10, measured concurrency 12",
                "max_num_seqs: 64", "| Settings | Predicted | Measured | Confirmation |",
                "Confirmation took 2 server starts, 7 load points and 1.50 GPU-minutes",
                "12 server starts and 96 load points, about 40.0 GPU-minutes", "The runner-up",
                "KV-cache data type moved it by less than 1%", "first search figure, at 100 requests a load");
        assertThat(md).doesNotContain("tune.json", "kv_cache_dtype moved");
    }

    @Test
    void withoutConfirmationItSaysTheChoiceRestsOnThePredictionAndTheGridsGpuTimeIsNotGuessed() {
        Doc doc = new Doc("t");
        TuneSection.section(doc, tune(false));
        String md = Markdown.render(Glossary.plain(doc));

        assertThat(md).contains("chosen by prediction (no server was started)", "No server was started",
                "12 server starts and 96 load points.");
        assertThat(md).doesNotContain("GPU-minutes at");
    }

    @Test
    void tuneJsonReadsBackWhatItWrote() throws Exception {
        TuneJson t = tune(true);
        t.write(tmp);
        assertThat(TuneJson.read(tmp)).isEqualTo(t);
    }
}
