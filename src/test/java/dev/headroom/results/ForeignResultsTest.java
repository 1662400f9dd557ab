package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other tools' real results files (README.md beside them names where each came from) read as points. */
class ForeignResultsTest {

    static final Path ROOT = Path.of("src/test/resources/dev/headroom/results/imported");

    @Test
    void guideLlmBenchmarksAreRatePointsWithItsItlAsVllmsTpot() throws IOException {
        List<Point> points = ForeignResults.read(ROOT.resolve("guidellm/guidellm_report_v2.json"));
        assertThat(points).extracting(Point::rate).containsExactly(2.0, 4.0);
        Point p = points.get(0);
        assertThat(p.concurrency()).isNull();
        assertThat(p.model()).isEqualTo("e2e-mock-model");
        assertThat(p.importedFrom().describe()).isEqualTo("GuideLLM 0.8.0.dev18");
        assertThat(p.value("completed")).isEqualTo(2.0);
        assertThat(p.value("failed")).isEqualTo(0.0);
        assertThat(p.value("mean_ttft_ms")).isCloseTo(11.481165885925293, within(1e-9));
        // request_latency is in seconds in GuideLLM, E2EL in ms in vLLM's names.
        assertThat(p.value("mean_e2el_ms")).isGreaterThan(1.0);
        assertThat(p.value("median_tpot_ms")).as("GuideLLM's inter_token_latency_ms is vLLM's TPOT").isNotNull();
        assertThat(p.values()).as("vLLM's per-chunk ITL is not measured by GuideLLM").doesNotContainKey("median_itl_ms");
        assertThat(p.value("output_throughput")).isCloseTo(p.value("total_output_tokens") / p.value("duration"), within(1e-9));
    }

    @Test
    void anOlderGuideLlmReportIsRefusedWithWhatWasRecognised() {
        Path older = ROOT.resolve("guidellm/benchmarks_stripped.json");
        assertThatThrownBy(() -> ForeignResults.read(older))
                .hasMessageStartingWith(older + ": GuideLLM benchmarks report without metadata.version is not a version headroom reads")
                .hasMessageContaining("GuideLLM benchmarks report (metadata.version 2)");
    }

    @Test
    void anAiperfExportIsAConcurrencyPointInMilliseconds() throws IOException {
        Point p = ForeignResults.read(ROOT.resolve("aiperf/profile_export_aiperf.json")).get(0);
        assertThat(p.concurrency()).isEqualTo(100);
        assertThat(p.rate()).isNull();
        assertThat(p.model()).isEqualTo("openai/gpt-oss-20b");
        assertThat(p.value("completed")).isEqualTo(89.0);
        assertThat(p.value("failed")).as("AIPerf's own cancellations (--request-cancellation-rate 10) are not the server's").isEqualTo(0.0);
        assertThat(p.value("cancelled")).isEqualTo(11.0);
        assertThat(p.value("p99_ttft_ms")).isCloseTo(3833.3894000399996, within(1e-9));
        assertThat(p.value("median_tpot_ms")).as("AIPerf's ITL is vLLM's TPOT").isCloseTo(27.615130366666666, within(1e-9));
        assertThat(p.value("mean_itl_ms")).as("AIPerf's inter-chunk latency is vLLM's ITL").isCloseTo(27.755153106189347, within(1e-9));
        assertThat(p.value("duration")).as("sec to s").isCloseTo(9.317788951, within(1e-9));
        assertThat(p.value("output_throughput")).isCloseTo(2320.7222350404572, within(1e-9));
        assertThat(p.value("median_input_tokens")).isEqualTo(550.0);
        assertThat(p.value("mean_output_tokens")).isCloseTo(242.96629213483146, within(1e-9));
        assertThat(p.importedFrom().describe()).isEqualTo("AIPerf (version not recorded)");
    }

    @Test
    void inferencePerfStagesAreRatePointsAndItsSummaryIsLeftOut() throws IOException {
        Path dir = ROOT.resolve("inference-perf/vllm+batch_size");
        List<Path> files = ForeignResults.under(dir);
        assertThat(files).extracting(f -> f.getFileName().toString())
                .allMatch(name -> name.matches("stage_\\d_lifecycle_metrics.json")).hasSize(7);
        Point stage3 = ForeignResults.read(dir.resolve("stage_3_lifecycle_metrics.json")).get(0);
        assertThat(stage3.rate()).isEqualTo(111.92);
        assertThat(stage3.value("completed")).isEqualTo(6715.0);
        assertThat(stage3.value("p95_e2el_ms")).as("s to ms").isCloseTo(1995.6024785991755, within(1e-9));
        assertThat(stage3.values()).as("per-token ITL and NTPOT have no vLLM counterpart")
                .doesNotContainKeys("median_itl_ms", "mean_itl_ms");
        assertThat(stage3.value("median_tpot_ms")).isNotNull();
        assertThat(stage3.value("mean_output_tokens")).as("successes.output_len").isNotNull();
        assertThat(stage3.value("p90_input_tokens")).as("successes.prompt_len").isNotNull();
        Path summary = dir.resolve("summary_lifecycle_metrics.json");
        assertThatThrownBy(() -> ForeignResults.read(summary)).hasMessageStartingWith(summary + " is inference-perf's summary over all stages");
    }

    @Test
    void benchmarkReportsOfVersionTwoAreReadInTheirUnits() throws IOException {
        Point v02 = ForeignResults.read(ROOT.resolve("benchmark-report/br_v0_2_example.yaml")).get(0);
        assertThat(v02.rate()).isEqualTo(10.0);
        assertThat(v02.concurrency()).as("concurrency .inf is no cap").isNull();
        assertThat(v02.workload()).isEqualTo("inference-perf");
        assertThat(v02.model()).isEqualTo("Qwen/Qwen3-0.6B");
        assertThat(v02.importedFrom().describe()).isEqualTo("llm-d Benchmark Report 0.2 (load from inference-perf)");
        assertThat(v02.value("mean_ttft_ms")).as("s to ms").isCloseTo(36.8578234128654, within(1e-9));
        assertThat(v02.value("kv_cache_usage_max")).as("percent to fraction, the one engine that reports it").isCloseTo(0.921, within(1e-12));
        Point v021 = ForeignResults.read(ROOT.resolve("benchmark-report/br_v0_2_1_example.yaml")).get(0);
        assertThat(v021.importedFrom().version()).isEqualTo("0.2.1");
        assertThat(v021.value("completed")).isEqualTo(500.0);
        assertThat(v021.value("output_throughput")).isEqualTo(2262.448);
    }

    @Test
    void aBenchmarkReportOfAnotherVersionIsRefused() {
        Path v01 = ROOT.resolve("benchmark-report/br_v0_1_example.yaml");
        assertThatThrownBy(() -> ForeignResults.read(v01))
                .hasMessageStartingWith(v01 + ": Benchmark Report version 0.1 is not a version headroom reads")
                .hasMessageContaining("llm-d Benchmark Report 0.2 or 0.2.1");
    }

    @Test
    void aFileOfNoKnownStructureIsRefusedByName(@TempDir Path tmp) throws IOException {
        Path other = Files.writeString(tmp.resolve("other.json"), "{\"completed\": 3}");
        assertThatThrownBy(() -> ForeignResults.read(other))
                .hasMessageStartingWith(other + " is not a results file headroom reads (recognised: no known structure; supported: vllm bench serve");
        Files.writeString(tmp.resolve("values.yaml"), "a: [unclosed");
        assertThat(ForeignResults.under(tmp)).as("files that are not results, or do not parse, are skipped in a folder").isEmpty();
    }
}
