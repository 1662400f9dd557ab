package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How selftest client judges a level: the client against what was sent, the harness against its schedule. */
class ClientFiguresTest {

    private static ClientOverhead.Level level(double errorP50Ms, double serverLatenessP50Ms) {
        return new ClientOverhead.Level(1000, 400_000, 136_000, 200_000, 8.3, errorP50Ms, 10, serverLatenessP50Ms, 300);
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
}
