package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client benchmark end to end (about 25 s, timing-based): runs with {@code ./build -o -Pbench test}. */
@Tag("bench")
class ClientOverheadTest {

    @Test
    void measuresCpuPerChunkAndTimingErrorAgainstAServerInAChildJvm() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClientOverhead.Result result = ClientOverhead.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                // Process CPU time advances in 10 ms clock ticks on Linux: levels big enough that a window spans
                // several ticks, or a correct measurement can read 0.
                new int[] {50, 100}, Duration.ofMillis(600), true, ClientOverhead.DEFAULT_STEP_MS);
        assertThat(result.levels()).hasSize(2).allSatisfy(level -> {
            // Each stream gets a chunk every 20 ms: about 30 per stream in 600 ms; half of that survives any load here.
            assertThat(level.chunks()).isGreaterThan(level.streams() * 15L);
            assertThat(level.cpuMicrosPerChunk()).isPositive();
            assertThat(level.errorP50Ms()).isBetween(0.0, 50.0);
        });
        assertThat(result.cpuMsPerRequestOutsideChunks()).isNotNegative();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("client CPU µs/chunk").contains("timing error p50 ms")
                .contains("lockstep steps like vLLM's engine").contains("median timing error at 100 streams in lockstep:")
                .contains("CPU per streamed chunk at 256 streams:      not measured").contains("CPU per request outside its chunks:");
    }
}
