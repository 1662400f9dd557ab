package dev.headroom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.load.Api;
import dev.headroom.workload.LoadPattern;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadPointTest {

    static LoadPoint point(LoadPattern pattern, int requests, Duration duration, int warmup) {
        return new LoadPoint(Api.CHAT, "random", null, null, pattern, requests, duration, warmup, 0, true, Map.of(),
                Duration.ofSeconds(30), 1, null);
    }

    @Test
    void warmupRunsClosedLoopAtTheSmallerOfItsCountAndTheCap() {
        assertThat(point(LoadPattern.closedLoop(8), 10, null, 3).warmupConcurrency()).isEqualTo(3);
        assertThat(point(LoadPattern.closedLoop(2), 10, null, 3).warmupConcurrency()).isEqualTo(2);
        assertThat(point(LoadPattern.openLoop(5, 1, 0), 10, null, 4).warmupConcurrency()).isEqualTo(4);
        assertThat(point(LoadPattern.closedLoop(4), 10, null, 3).warmupSettings("m", "p-").requestIdPrefix()).isEqualTo("p-warmup-");
    }

    @Test
    void countsAndDurationsMeanTheSameForEveryTarget() {
        assertThat(point(LoadPattern.closedLoop(4), 64, null, 0).promptCount()).isEqualTo(64);
        assertThat(point(LoadPattern.openLoop(10, 1, 0), 0, Duration.ofSeconds(3), 0).promptCount()).isEqualTo(30);
        assertThat(point(LoadPattern.closedLoop(4), 0, Duration.ofSeconds(3), 0).expectedRequests()).isNull();
        assertThatThrownBy(() -> point(LoadPattern.closedLoop(4), 5, Duration.ofSeconds(3), 0))
                .hasMessageContaining("--requests").hasMessageContaining("--duration");
    }
}
