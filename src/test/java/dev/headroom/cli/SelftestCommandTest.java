package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelftestCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"8192,1024", "1024,1024", "0,8192"})
    void refusesLengthsThatAreNotAscendingPositiveTokenCounts(String lengths) {
        CliRun run = CliRun.headroom("selftest", "longctx", "--lengths", lengths);
        assertThat(run.exit()).isNotZero();
        assertThat(run.err().strip()).contains("--lengths '" + lengths + "'", "ascending token counts").doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"longctx", "fidelity"})
    void namesLongctxAmongTheSelftestsWhenOneIsUnknown(String known) {
        CliRun run = CliRun.headroom("selftest", "nope");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("selftest 'nope' is not known", known);
        assertThat(CliRun.headroom("selftest", "--help").out()).contains(known);
    }
}
