package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.metrics.PrometheusExposition.Family;
import dev.headroom.metrics.PrometheusExposition.Sample;
import dev.headroom.metrics.PrometheusExposition.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextTest {

    /** A trimmed excerpt in the shape vLLM's prometheus_client output has. */
    static final String VLLM = """
            # HELP vllm:num_preemptions_total Cumulative number of preemption from the engine.
            # TYPE vllm:num_preemptions_total counter
            vllm:num_preemptions_total{engine="0",model_name="qwen"} 3.0
            # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="qwen"} 0.25
            # HELP vllm:request_success_total Count of successfully processed requests.
            # TYPE vllm:request_success_total counter
            vllm:request_success_total{engine="0",finished_reason="stop",model_name="qwen"} 7.0
            vllm:request_success_total{engine="0",finished_reason="length",model_name="qwen"} 5.0
            # HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="qwen"} 0.0
            vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="qwen"} 10.0
            vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="qwen"} 12.0
            vllm:time_to_first_token_seconds_count{engine="0",model_name="qwen"} 12.0
            vllm:time_to_first_token_seconds_sum{engine="0",model_name="qwen"} 0.9
            # HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
            # TYPE vllm:cache_config_info gauge
            vllm:cache_config_info{block_size="16",cache_dtype="auto",engine="0",num_gpu_blocks="2048"} 1.0
            """;

    @Test
    void parsesVllmShapedOutput() {
        PrometheusExposition e = PrometheusText.parse(VLLM);
        assertThat(e.sum("vllm:request_success_total")).hasValue(12.0);
        assertThat(e.sum("vllm:missing")).isEmpty();
        assertThat(e.families().get("vllm:time_to_first_token_seconds").type()).isEqualTo(Type.HISTOGRAM);
        assertThat(e.families().get("vllm:kv_cache_usage_perc").help()).isEqualTo("KV-cache usage. 1 means 100 percent usage.");
        Sample inf = e.samples("vllm:time_to_first_token_seconds_bucket").get(2);
        assertThat(inf.labels()).containsEntry("le", "+Inf");
        assertThat(e.samples("vllm:cache_config_info").get(0).labels()).containsEntry("num_gpu_blocks", "2048");
    }

    @Test
    void parsesEscapesSpecialValuesTimestampsAndCounterFamilies() {
        String text = """
                # TYPE requests counter
                # HELP requests Back\\\\slash and\\nnewline.
                requests_total{path="/a\\"b\\\\c\\nd",} 1e3 1700000000000
                requests_created 1.7e9
                g NaN
                h +Inf
                i -Inf
                j\t.5
                """;
        PrometheusExposition e = PrometheusText.parse(text);
        assertThat(e.families().get("requests")).isEqualTo(new Family("requests", Type.COUNTER, "Back\\slash and\nnewline."));
        Sample total = e.samples("requests_total").get(0);
        assertThat(total.labels()).containsExactly(Map.entry("path", "/a\"b\\c\nd"));
        assertThat(total.value()).isEqualTo(1000.0);
        assertThat(total.timestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(e.sum("g").getAsDouble()).isNaN();
        assertThat(e.sum("h")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(e.sum("i")).hasValue(Double.NEGATIVE_INFINITY);
        assertThat(e.sum("j")).hasValue(0.5);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "1metric 1|expected a metric name",
        "metric|expected a blank before the value",
        "metric{a=\"1\"}|missing value",
        "metric one|'one' is not a value",
        "metric 0x10|'0x10' is not a value",
        "metric 1 2 3|unexpected text after the value",
        "metric 1 1.5|'1.5' is not a timestamp",
        "metric{a=\"1\" 1|expected ',' or '}'",
        "metric{a=1} 1|expected '\"'",
        "metric{a=\"1} 1|unterminated label value",
        "metric{a=\"\\t\"} 1|invalid escape \\t",
        "metric{a=\"1\",a=\"2\"} 1|label a repeated",
        "metric{1a=\"1\"} 1|expected a label name",
        "metric{a:b=\"1\"} 1|expected a label name",
        "# TYPE metric speedometer|unknown type 'speedometer'",
        "# TYPE 1metric counter|needs a valid metric name",
        "# HELP metric bad \\t escape|invalid escape \\t in HELP"})
    void rejectsMalformedLines(String line, String message) {
        assertThatThrownBy(() -> PrometheusText.parse(line + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("/metrics line 1: ")
                .hasMessageContaining(message);
    }

    @Test
    void rejectsStructuralErrors() {
        assertThatThrownBy(() -> PrometheusText.parse("a 1\na 2\n")).hasMessageContaining("line 2: duplicate series");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\n# TYPE a counter\n"))
                .hasMessageContaining("second TYPE for a");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\n# TYPE a gauge\n")).hasMessageContaining("TYPE after samples of a");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket{x=\"1\"} 1\n"))
                .hasMessageContaining("histogram bucket without an le label");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"))
                .hasMessageContaining("no le=\"+Inf\" bucket");
        assertThatThrownBy(() -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n")).hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n")).hasMessageContaining("_count differs");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE s summary\ns 1\n")).hasMessageContaining("quantile");
    }

    @Property(tries = 100)
    void renderThenParseGivesTheSameExposition(@ForAll("expositions") PrometheusExposition e) {
        String text = PrometheusText.render(e);
        PrometheusExposition back = PrometheusText.parse(text);
        assertThat(back).isEqualTo(e);
        assertThat(PrometheusText.render(back)).isEqualTo(text);
    }

    @Provide
    Arbitrary<PrometheusExposition> expositions() {
        return family().list().ofMinSize(0).ofMaxSize(5).map(parts -> {
            List<Sample> samples = new ArrayList<>();
            Map<String, Family> families = new LinkedHashMap<>();
            for (int i = 0; i < parts.size(); i++) {
                Family f = new Family("f" + i + "_" + parts.get(i).family().name(), parts.get(i).family().type(),
                        parts.get(i).family().help());
                families.put(f.name(), f);
                for (Sample s : parts.get(i).samples()) {
                    samples.add(new Sample(f.name() + s.name(), s.labels(), s.value(), s.timestampMs()));
                }
            }
            return new PrometheusExposition(samples, families);
        });
    }

    /** A family with a placeholder name; its samples' names are suffixes appended to the final family name. */
    private record Part(Family family, List<Sample> samples) {
    }

    private static Arbitrary<Part> family() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz:").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> help = Arbitraries.strings().ofMaxLength(30)
                .filter(h -> h.isEmpty() || (h.charAt(0) != ' ' && h.charAt(0) != '\t')).injectNull(0.3);
        Arbitrary<Type> type = Arbitraries.of(Type.COUNTER, Type.GAUGE, Type.UNTYPED, Type.HISTOGRAM);
        return Combinators.combine(name, help, type, labelSets())
                .flatAs((n, h, t, sets) -> samples(t, sets).map(s -> new Part(new Family(n, t, h), s)));
    }

    private static Arbitrary<List<Map<String, String>>> labelSets() {
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(
                Arbitraries.strings().withChars("abcXYZ_09").ofMinLength(1).ofMaxLength(5).map(k -> "l" + k),
                Arbitraries.strings().ofMaxLength(12)).ofMaxSize(3).map(LinkedHashMap::new);
        return labels.list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    }

    private static Arbitrary<List<Sample>> samples(Type type, List<Map<String, String>> sets) {
        Arbitrary<Double> anyValue = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-300));
        Arbitrary<Long> timestamp = Arbitraries.longs().between(0, 4_000_000_000_000L).injectNull(0.7);
        if (type == Type.HISTOGRAM) return histogram(sets);
        String suffix = type == Type.COUNTER ? "_total" : "";
        Arbitrary<Double> value = type == Type.COUNTER ? Arbitraries.doubles().between(0, 1e12) : anyValue;
        return Combinators.combine(value.list().ofSize(sets.size()), timestamp.list().ofSize(sets.size()))
                .as((values, stamps) -> {
                    List<Sample> out = new ArrayList<>();
                    for (int i = 0; i < sets.size(); i++) {
                        out.add(new Sample(suffix, sets.get(i), values.get(i), stamps.get(i)));
                    }
                    return out;
                });
    }

    private static Arbitrary<List<Sample>> histogram(List<Map<String, String>> sets) {
        Arbitrary<TreeSet<Double>> bounds = Arbitraries.doubles().between(0.001, 1000).ofScale(6).set().ofMaxSize(4).map(TreeSet::new);
        Arbitrary<List<Integer>> increments = Arbitraries.integers().between(0, 50).list().ofSize(5);
        return Combinators.combine(bounds, increments, Arbitraries.doubles().between(0, 1e6)).as((les, inc, sum) -> {
            List<Sample> out = new ArrayList<>();
            for (Map<String, String> set : sets) {
                double cumulative = 0;
                int k = 0;
                List<Double> edges = new ArrayList<>(les);
                edges.add(Double.POSITIVE_INFINITY);
                for (double le : edges) {
                    cumulative += inc.get(k++);
                    Map<String, String> labels = new LinkedHashMap<>(set);
                    labels.put("le", PrometheusText.formatValue(le));
                    out.add(new Sample("_bucket", labels, cumulative, null));
                }
                out.add(new Sample("_sum", set, sum, null));
                out.add(new Sample("_count", set, cumulative, null));
            }
            return out;
        });
    }
}
