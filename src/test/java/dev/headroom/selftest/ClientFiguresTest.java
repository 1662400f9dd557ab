package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.load.ClientHealth;
import org.junit.jupiter.api.Test;

/** How selftest client judges a level: the client against what was sent, the harness against its schedule. */
class ClientFiguresTest {

    private static ClientOverhead.Level level(double errorP50Ms, double serverLatenessP50Ms) {
        return level(errorP50Ms, serverLatenessP50Ms, null);
    }

    private static ClientOverhead.Level level(double errorP50Ms, double serverLatenessP50Ms, String limitedBecause) {
        ClientHealth.Report health = new ClientHealth.Report(4.2, 0.09, 16, 2, 0.5, 0.05, 0.3, 1.0, 0, limitedBecause != null, limitedBecause);
        return new ClientOverhead.Level(1000, 400_000, 136_000, 200_000, 8.3, errorP50Ms, 10, serverLatenessP50Ms, 300, health,
                ThreadCpu.snapshot(), 120, 3.5);
    }

    @Test
    void aClientReadingEveryChunkWithinAStepKeptUpEvenWhenTheServerFellBehind() {
        ClientOverhead.Level serverBound = level(0.013, 124.6);
        assertThat(ClientOverhead.keptUp(serverBound, 5)).isTrue();
        assertThat(ClientOverhead.serverLimited(serverBound, 5)).isTrue();
    }

    @Test
    void aClientMoreThanAStepBehindDidNotKeepUp() {
        ClientOverhead.Level clientBound = level(7.5, 0.4);
        assertThat(ClientOverhead.keptUp(clientBound, 5)).isFalse();
        assertThat(ClientOverhead.serverLimited(clientBound, 5)).isFalse();
    }

    @Test
    void aLevelTheClientsOwnWatchJudgedLimitedDidNotKeepUp() {
        ClientOverhead.Level limited = level(0.4, 0.4, "the client's busiest I/O thread was on CPU 93% of the run");
        assertThat(ClientOverhead.keptUp(limited, 5)).isFalse();
    }

    @Test
    void levelsThatScheduleLessThanTheTargetSaySoRatherThanFallShort() {
        ClientOverhead.Level at50k = new ClientOverhead.Level(1000, 150_000, 50_000, 50_000, 7.5, 0.3, 1, 1, 3,
                level(0.3, 1).health(), ThreadCpu.snapshot(), 110, 7.8);
        assertThat(ClientOverhead.scheduledBelowTarget(new ClientOverhead.Result(java.util.List.of(at50k), 0.2))).isTrue();
        assertThat(ClientOverhead.scheduledBelowTarget(new ClientOverhead.Result(java.util.List.of(level(0.3, 1)), 0.2))).isFalse();
    }
}
