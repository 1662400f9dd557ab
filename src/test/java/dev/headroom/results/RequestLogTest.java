package dev.headroom.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogTest {

    @TempDir
    Path dir;

    @Property(tries = 200)
    void roundTripsEveryRecordExactly(@ForAll("records") List<RequestRecord> records) throws IOException {
        Path file = Files.createTempFile("requests", ".jsonl");
        try {
            try (RequestLog log = RequestLog.open(file)) {
                records.forEach(log::append);
            }
            List<RequestRecord> back = RequestLog.read(file);
            assertThat(back).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) assertSame(back.get(i), records.get(i));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertSame(RequestRecord actual, RequestRecord expected) {
        assertThat(actual.requestId()).isEqualTo(expected.requestId());
        assertThat(actual.scheduledNanos()).isEqualTo(expected.scheduledNanos());
        assertThat(actual.sentNanos()).isEqualTo(expected.sentNanos());
        assertThat(actual.chunkNanos()).containsExactly(expected.chunkNanos());
        assertThat(actual.firstContentNanos()).isEqualTo(expected.firstContentNanos());
        assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(actual.outputTokens()).isEqualTo(expected.outputTokens());
        assertThat(actual.usageReported()).isEqualTo(expected.usageReported());
        assertThat(actual.error()).isEqualTo(expected.error());
    }

    @Provide
    Arbitrary<List<RequestRecord>> records() {
        Arbitrary<Long> time = Arbitraries.oneOf(Arbitraries.just(-1L),
                Arbitraries.longs().between(-1_000_000L, 10_000_000_000_000L).map(us -> us * 1000));
        Arbitrary<long[]> chunks = Arbitraries.longs().between(0, 10_000_000_000_000L).map(us -> us * 1000)
                .list().ofMaxSize(30).map(l -> l.stream().mapToLong(Long::longValue).sorted().toArray());
        Arbitrary<RequestError> error = Combinators.combine(
                Arbitraries.of(RequestError.Kind.class), Arbitraries.integers().between(0, 599),
                Arbitraries.strings().ofMaxLength(40)).as(RequestError::new).injectNull(0.6);
        return Combinators.combine(Arbitraries.strings().ofMaxLength(30), time, time, chunks, time,
                        Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers().between(0, 100_000),
                        Arbitraries.of(true, false))
                .as((id, scheduled, sent, c, content, prompt, out, usage) ->
                        new RequestRecord(id, scheduled, sent, c, content, prompt, out, usage, null))
                .flatMap(r -> error.map(e -> new RequestRecord(r.requestId(), r.scheduledNanos(), r.sentNanos(),
                        r.chunkNanos(), r.firstContentNanos(), r.promptTokens(), r.outputTokens(), r.usageReported(),
                        e)))
                .list().ofMaxSize(8);
    }

    @Test
    void writesTheDocumentedFieldsWithMicrosecondPrecision() throws IOException {
        Path file = dir.resolve("run/requests.jsonl");
        RequestRecord r = new RequestRecord("bench-1", 5_000_000, 7_123_456, new long[] {9_000_999, 12_500_000},
                9_000_999, 42, 2, true, null, new ConnectionTimings(1_250_000, 3_500_700, 2));
        try (RequestLog log = RequestLog.open(file)) {
            log.append(r);
        }
        assertThat(Files.readString(file)).isEqualTo("{\"request_id\":\"bench-1\",\"scheduled_ms\":5.000,"
                + "\"sent_ms\":7.123,\"first_token_ms\":9.000,\"last_token_ms\":12.500,\"chunk_ms\":[9.000,12.500],"
                + "\"first_content_ms\":9.000,\"prompt_tokens\":42,\"output_tokens\":2,\"usage_reported\":true,"
                + "\"connect_ms\":1.250,\"tls_handshake_ms\":3.500,\"attempts\":2,\"ok\":true,\"error\":null}\n");
        RequestRecord back = RequestLog.read(file).get(0);
        assertThat(back.sentNanos()).as("floored to whole microseconds").isEqualTo(7_123_000);
        assertThat(back.chunkNanos()).containsExactly(9_000_000, 12_500_000);
        assertThat(back.connection()).isEqualTo(new ConnectionTimings(1_250_000, 3_500_000, 2));
    }

    @Test
    void theServersPerRequestMetricsAreWrittenUnderVllmsNamesAndReadBack() throws IOException {
        Path file = dir.resolve("engine/requests.jsonl");
        RequestRecord r = new RequestRecord("m-1", 0, 1_000_000, new long[] {20_000_000, 30_000_000}, 20_000_000, 8, 2, true,
                null, ConnectionTimings.NONE, -1, -1, new EngineTiming(2.5, 14.25, 10.0, Double.NaN));
        try (RequestLog log = RequestLog.open(file)) {
            log.append(r);
            log.append(r.withEngineTiming(null));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).contains("\"server_metrics\":{\"queue_time_ms\":2.5,\"time_to_first_token_ms\":14.25,"
                + "\"generation_time_ms\":10.0,\"mean_itl_ms\":null}");
        assertThat(lines.get(1)).doesNotContain("server_metrics");
        List<RequestRecord> back = RequestLog.read(file);
        assertThat(back.get(0).engine()).isEqualTo(r.engine());
        assertThat(back.get(1).engine()).isNull();
    }

    @Test
    void failedRecordCarriesItsErrorAndNullTimes() throws IOException {
        Path file = dir.resolve("requests.jsonl");
        try (RequestLog log = RequestLog.open(file)) {
            log.append(RequestRecord.failed("x\"\n", 0, -1, 3, new RequestError(RequestError.Kind.TIMEOUT, 0, "t/o")));
        }
        String line = Files.readString(file);
        assertThat(line).contains("\"request_id\":\"x\\\"\\n\"", "\"sent_ms\":null", "\"first_token_ms\":null",
                "\"chunk_ms\":[]", "\"ok\":false", "\"error\":{\"kind\":\"timeout\",\"status\":0,\"message\":\"t/o\"}");
    }

    @Test
    void flushMakesAppendedRecordsReadableBeforeClose() throws IOException {
        Path file = dir.resolve("requests.jsonl");
        try (RequestLog log = RequestLog.open(file)) {
            log.append(new RequestRecord("a", 0, 0, new long[] {1000}, -1, 1, 1, false, null));
            log.flush();
            assertThat(RequestLog.read(file)).extracting(RequestRecord::requestId).containsExactly("a");
        }
    }

    @Test
    void concurrentAppendsKeepEveryLineWhole() throws Exception {
        Path file = dir.resolve("requests.jsonl");
        int threads = 8;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        try (RequestLog log = RequestLog.open(file); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long[] chunks = new long[20];
                        Arrays.setAll(chunks, k -> (k + 1) * 1_000_000L);
                        log.append(new RequestRecord(thread + "-" + i, 0, 0, chunks, -1, 10, 20, true, null));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        }
        List<RequestRecord> back = RequestLog.read(file);
        Set<String> ids = new HashSet<>();
        back.forEach(r -> ids.add(r.requestId()));
        assertThat(back).hasSize(threads * perThread);
        assertThat(ids).hasSize(threads * perThread);
        assertThat(back).allMatch(r -> r.chunkNanos().length == 20);
    }

    @Test
    void malformedLineIsReportedWithItsNumber() throws IOException {
        Path file = dir.resolve("requests.jsonl");
        Files.writeString(file, "\n{\"request_id\":\"a\"}\n");
        assertThatThrownBy(() -> RequestLog.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("requests.jsonl:2:").hasMessageContaining("chunk_ms");
    }
}
