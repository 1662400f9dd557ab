package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * A Benchmark Report's load, however the YAML spells it (a whole or decimal rate, a whole concurrency or YAML's
 * infinities with their comments), places the point where the report says: the real v0.2 example with its
 * {@code rate_qps} and {@code concurrency} lines rewritten.
 */
class BenchmarkReportLoadProperties {

    private static final Path EXAMPLE = ForeignResultsTest.ROOT.resolve("benchmark-report/br_v0_2_example.yaml");

    @Provide
    Arbitrary<String> concurrency() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 100_000).map(String::valueOf),
                Arbitraries.of(".inf", ".Inf", ".INF", "+.inf", ".inf # unlimited"));
    }

    @Property(tries = 60)
    void theLoadIsWhereTheReportPutsIt(@ForAll @DoubleRange(min = 0.01, max = 1e5) double rate,
                                       @ForAll("concurrency") String concurrency) throws IOException {
        String yaml = Files.readString(EXAMPLE).replace("      rate_qps: 10\n", "      rate_qps: " + rate + "\n")
                .replace("      concurrency: .inf\n", "      concurrency: " + concurrency + "\n");
        Path file = Files.createTempFile("br", ".yaml");
        try {
            Files.writeString(file, yaml);
            Point p = ForeignResults.read(file).get(0);
            assertThat(p.rate()).isEqualTo(rate);
            boolean unlimited = concurrency.contains("inf") || concurrency.contains("INF") || concurrency.contains("Inf");
            assertThat(p.concurrency()).isEqualTo(unlimited ? null : Integer.valueOf(concurrency));
        } finally {
            Files.delete(file);
        }
    }
}
