package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Session;
import dev.headroom.workload.SessionScript;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Errors inside headroom on the load path surface: a sink that throws or a selector thread that dies stops the run,
 * fails what it cut off as headroom's error ({@code tool}, with the cause), and the run's caller gets the exception;
 * nothing waits forever. Each run is bounded by a preemptive timeout: the old code hung or returned as if nothing
 * happened.
 */
class LoadFaultTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private static RunSettings settings(LoadPattern pattern, int requests) {
        return new RunSettings(Api.COMPLETIONS, "schedule-model", true, Map.of(), Duration.ofSeconds(20), pattern, requests,
                null, 0, 1, 1, "f-");
    }

    private static List<Prompt> prompts() {
        return List.of(new Prompt(null, "alpha beta", 2, 3));
    }

    /** A sink that takes {@code before} records, then throws on the next one. */
    private static Consumer<RequestRecord> throwingAfter(int before, List<RequestRecord> taken) {
        AtomicInteger seen = new AtomicInteger();
        return r -> {
            if (seen.incrementAndGet() > before) throw new IllegalStateException("injected sink failure");
            taken.add(r);
        };
    }

    private static ScheduleServer fastServer() throws Exception {
        return ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
    }

    @Test
    void aClosedLoopWhoseSinkThrowsStopsAndThrowsTheSinksError() throws Exception {
        try (ScheduleServer server = fastServer();
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            List<RequestRecord> taken = Collections.synchronizedList(new ArrayList<>());
            LoadRunner runner = new LoadRunner(client, settings(LoadPattern.closedLoop(2), 200));
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> runner.run(prompts(), throwingAfter(3, taken)))
                    .isInstanceOf(LoadClientError.class).hasRootCauseMessage("injected sink failure"));
            assertThat(taken).hasSize(3);
            assertThat(runner.finished()).isLessThan(200);
        }
    }

    @Test
    void anUncappedOpenLoopWhoseSinkThrowsStopsAndThrowsTheSinksError() throws Exception {
        try (ScheduleServer server = fastServer();
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            List<RequestRecord> taken = Collections.synchronizedList(new ArrayList<>());
            LoadRunner runner = new LoadRunner(client, settings(LoadPattern.openLoop(200, 1, 0), 100));
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> runner.run(prompts(), throwingAfter(2, taken)))
                    .isInstanceOf(LoadClientError.class).hasRootCauseMessage("injected sink failure"));
            assertThat(taken).hasSize(2);
        }
    }

    @Test
    void sessionsWhoseSinkThrowsEndInsteadOfWaitingForever() throws Exception {
        try (ScheduleServer server = fastServer();
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            List<RequestRecord> taken = Collections.synchronizedList(new ArrayList<>());
            SessionRunner runner = new SessionRunner(client, settings(LoadPattern.closedLoop(2), 4));
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> runner.run(sessions(4, 3), null, throwingAfter(1, taken)))
                    .isInstanceOf(LoadClientError.class).hasRootCauseMessage("injected sink failure"));
            assertThat(taken).hasSize(1);
        }
    }

    @Test
    void aSelectorThreadThatDiesFailsItsRequestsInFlightWithTheCauseNotAsCancelled() throws Exception {
        int held = 3;
        CountDownLatch arrived = new CountDownLatch(held);
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(RawServer.chunkedHead());
            out.flush();
            arrived.countDown();
            release.await();
            return false;
        });
             StreamingClient client = dyingAfter(held, server.endpoint())) {
            List<CompletableFuture<StreamResult>> results = new ArrayList<>();
            for (int i = 0; i < held; i++) results.add(stream(client, "held-" + i));
            assertThat(arrived.await(20, TimeUnit.SECONDS)).isTrue();
            results.add(stream(client, "fatal")); // Its connection's wire throws an Error: the selector thread dies.
            assertTimeoutPreemptively(BOUND, () -> {
                for (CompletableFuture<StreamResult> f : results) {
                    RequestError e = f.join().error();
                    assertThat(e.kind()).isEqualTo(RequestError.Kind.TOOL);
                    assertThat(e.kind().byClient()).isTrue();
                    assertThat(e.message()).contains("injected selector fault");
                }
            });
            assertThat(client.failure()).isInstanceOf(AssertionError.class).hasMessage("injected selector fault");
            assertThat(stream(client, "later").join().error().kind()).isEqualTo(RequestError.Kind.TOOL);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRunWhoseSelectorThreadDiesStopsAndThrowsTheCause() throws Exception {
        try (ScheduleServer server = fastServer();
             StreamingClient client = dyingAfter(3, Endpoint.parse(server.baseUrl()))) {
            List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
            LoadRunner runner = new LoadRunner(client, settings(LoadPattern.closedLoop(2), 200));
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> runner.run(prompts(), records::add))
                    .isInstanceOf(LoadClientError.class).hasRootCauseMessage("injected selector fault"));
            assertThat(records).filteredOn(r -> !r.ok()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.error().kind()).isIn(RequestError.Kind.TOOL, RequestError.Kind.CANCELLED));
            assertThat(records).filteredOn(RequestRecord::clientFailed).isNotEmpty();
        }
    }

    @Test
    void sessionsWhoseSelectorThreadDiesStopAndThrowTheCause() throws Exception {
        try (ScheduleServer server = fastServer();
             StreamingClient client = dyingAfter(2, Endpoint.parse(server.baseUrl()))) {
            SessionRunner runner = new SessionRunner(client, settings(LoadPattern.closedLoop(2), 6));
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> runner.run(sessions(6, 3), null, r -> { }))
                    .isInstanceOf(LoadClientError.class).hasRootCauseMessage("injected selector fault"));
        }
    }

    /** A one-thread client whose connections after the first {@code healthy} throw an Error: its selector thread dies. */
    private static StreamingClient dyingAfter(int healthy, Endpoint endpoint) throws Exception {
        AtomicInteger opened = new AtomicInteger();
        Function<SocketChannel, Wire> plain = StreamingClient.wires(endpoint, SSLContext.getDefault());
        Function<SocketChannel, Wire> wires = channel -> {
            if (opened.incrementAndGet() > healthy) throw new AssertionError("injected selector fault");
            return plain.apply(channel);
        };
        return new StreamingClient(endpoint, Map.of(), Duration.ofSeconds(3), wires, 1, false);
    }

    private static CompletableFuture<StreamResult> stream(StreamingClient client, String id) {
        return client.streamAsync("/v1/completions", RawServer.body(), id, Duration.ofSeconds(60), 4, false);
    }

    private static List<Session> sessions(int count, int turns) {
        List<String> users = IntStream.range(0, turns).mapToObj(t -> "question " + t).toList();
        SessionScript script = new SessionScript(null, users, Collections.nCopies(turns, 2), Collections.nCopies(turns, 3));
        return IntStream.range(0, count).mapToObj(i -> new Session("s" + i, script, 0)).toList();
    }

}
