package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.load.Endpoint;
import dev.headroom.load.StreamingClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LongContextTest {

    @Test
    void measuresEachLengthEndToEndWithEveryBodyReadInFull() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LongContext.Result result = LongContext.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), new int[] {1024, 8192}, 8);
        assertThat(result.lengths()).extracting(ContextLength.Figures::tokens).containsExactly(1024, 8192);
        assertThat(result.lengths()).allSatisfy(f -> {
            assertThat(f.requests()).isEqualTo(8);
            // Every request was matched by its x-request-id and the server read exactly the client's body size.
            assertThat(f.intactUploads()).isEqualTo(f.requests());
            // cl100k fits about 4-6 bytes of English words per token, plus the JSON around them.
            assertThat(f.bodyBytes()).isBetween(3.0 * f.tokens(), 8.0 * f.tokens());
            assertThat(f.fitMsPerPrompt()).isPositive();
            assertThat(f.cpuMsPerRequest()).isNotNegative();
            // Causality across the two JVMs' CLOCK_MONOTONIC: the body is read after its first byte was written,
            // and the first token arrives after it fell due.
            assertThat(f.uploadP50Ms()).isPositive().isFinite().isLessThanOrEqualTo(f.uploadP99Ms());
            assertThat(f.ttftErrorP50Ms()).isPositive().isFinite().isLessThanOrEqualTo(f.ttftErrorP99Ms());
        });
        assertThat(result.lengths().get(1).bodyBytes()).isGreaterThan(6 * result.lengths().get(0).bodyBytes());
        assertThat(result.verdict()).isEqualTo(LongContext.Verdict.NOT_JUDGED);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("client CPU ms/req", "upload p50 ms", "TTFT error p50 ms",
                "load average", "verdict: not judged");
    }

    @Test
    void judgesCostLinearInBytesAsNoSlowDown() {
        // Fixed 1 ms, then 5 ns per extra byte; upload 0.1 ms + 1 ns per byte.
        LongContext.Result r = LongContext.judge(List.of(figures(1024, 6_000, 1.0, 0.106), figures(32768, 180_000, 1.87, 0.28),
                figures(131072, 720_000, 4.57, 0.82)));
        assertThat(r.verdict()).isEqualTo(LongContext.Verdict.LINEAR);
        assertThat(r.line()).startsWith("verdict: no client slow-down at 131072 tokens").contains("(1.00x)");
    }

    @Test
    void namesWhereTheTimeGoesWhenTheCostGrowsFasterThanTheBody() {
        LongContext.Result cpu = LongContext.judge(List.of(figures(1024, 6_000, 1.0, 0.1), figures(32768, 180_000, 1.87, 0.28),
                figures(131072, 720_000, 20, 0.82)));
        assertThat(cpu.verdict()).isEqualTo(LongContext.Verdict.SLOW_DOWN);
        assertThat(cpu.line()).contains("client CPU per byte grows").doesNotContain("upload time per byte grows");
        LongContext.Result upload = LongContext.judge(List.of(figures(1024, 6_000, 1.0, 0.1), figures(32768, 180_000, 1.87, 0.28),
                figures(131072, 720_000, 4.57, 12)));
        assertThat(upload.verdict()).isEqualTo(LongContext.Verdict.SLOW_DOWN);
        assertThat(upload.line()).contains("upload time per byte grows").doesNotContain("client CPU per byte grows");
    }

    @Test
    void theServerStampsEachUploadByRequestIdAndTheLineRoundTrips() throws Exception {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(5), Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            byte[] body = "{\"stream\":true,\"max_tokens\":1,\"prompt\":\"a long prompt\"}".getBytes(StandardCharsets.UTF_8);
            long sentNanos = client.stream("/v1/completions", body, "up-1", Duration.ofSeconds(10), 3, false).sentNanos();
            List<Uploads.Upload> uploads = server.takeUploads();
            assertThat(uploads).singleElement().satisfies(u -> {
                assertThat(u.requestId()).isEqualTo("up-1");
                assertThat(u.bodyBytes()).isEqualTo(body.length);
                assertThat(u.firstByteNanos()).isGreaterThanOrEqualTo(sentNanos).isLessThanOrEqualTo(u.bodyReadNanos());
                assertThat(u.firstDueNanos() - u.bodyReadNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
                assertThat(Uploads.Upload.parse(u.line())).isEqualTo(u);
            });
            assertThat(server.takeUploads()).isEmpty();
        }
    }

    private static ContextLength.Figures figures(int tokens, double bodyBytes, double cpuMs, double uploadMs) {
        return new ContextLength.Figures(tokens, bodyBytes, 1, 400, 400, cpuMs, uploadMs, uploadMs * 2, 0.2, 1);
    }
}
