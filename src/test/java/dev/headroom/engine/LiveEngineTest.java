package dev.headroom.engine;

import dev.headroom.plan.StepCostModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class LiveEngineTest {

    /** 4 ms per step plus 10 µs per token: long enough that a busy machine's jitter is small against it. */
    private static final StepCostModel STEP = w -> 4_000_000L + 10_000L * w.numTokens();
    private static final SimTokenizer TOKENIZER = new SimTokenizer(4096);

    /**
     * Records one request as a client would, on the engine's own clock: each delivery is stamped with the ideal end of
     * the step that made it (what the engine hands its sinks), so the record is the schedule the engine kept, the
     * same on a loaded machine as on a quiet one; the send is the step that first scheduled it.
     */
    private static final class Client implements TokenSink {
        final String id;
        final int promptTokens;
        final long[] stamps;
        int n;
        final CompletableFuture<FinishedRequest> done = new CompletableFuture<>();
        final Runnable onDone;

        Client(String id, int promptTokens, int maxTokens, Runnable onDone) {
            this.id = id;
            this.promptTokens = promptTokens;
            this.stamps = new long[maxTokens];
            this.onDone = onDone;
        }

        @Override
        public void onTokens(int[] tokenIds, long nowNanos) {
            stamps[n++] = nowNanos;
        }

        @Override
        public void onFinished(FinishedRequest finished) {
            done.complete(finished);
            onDone.run();
        }

        RequestRecord record() {
            long scheduled = done.join().scheduledNanos();
            return new RequestRecord(id, scheduled, scheduled, java.util.Arrays.copyOf(stamps, n), stamps[0],
                    promptTokens, n, true, null);
        }
    }

    @Test
    void liveAndOfflineAgreeOnTheSameClosedLoop() throws Exception {
        EngineConfig config = OfflineRunnerTest.CONFIG;
        List<Prompt> prompts = TestWorkloads.random(24, 64, 16, 5);
        List<RequestRecord> offline = OfflineRunner.run(config, STEP, prompts, LoadPattern.closedLoop(4), null,
                new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0)).records();

        ConcurrentLinkedQueue<Client> clients = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(prompts.size());
        AtomicInteger next = new AtomicInteger();
        try (LiveEngine engine = LiveEngine.start(config, STEP)) {
            Runnable[] submitNext = new Runnable[1];
            submitNext[0] = () -> {
                int i = next.getAndIncrement();
                if (i >= prompts.size()) return;
                int[] ids = TOKENIZER.encode(prompts.get(i).user());
                Client c = new Client("live-" + i, ids.length, 16, () -> {
                    all.countDown();
                    submitNext[0].run();
                });
                clients.add(c);
                engine.submit(new EngineRequest(c.id, ids, 16, 16, true), c);
            };
            for (int k = 0; k < 4; k++) submitNext[0].run();
            assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
            System.out.println("live engine " + engine.lateness().describe());
        }
        List<RequestRecord> live = new ArrayList<>();
        for (Client c : clients) live.add(c.record());
        assertThat(live).hasSize(24).allMatch(r -> r.outputTokens() == 16);
        double offlineTpot = TestWorkloads.medianTpotMs(offline);
        double liveTpot = TestWorkloads.medianTpotMs(live);
        // Stated tolerance: median TPOT within 10% (on the engine's clock only the batches' make-up may differ).
        assertThat(liveTpot).isCloseTo(offlineTpot, within(offlineTpot * 0.10));
        assertThat(TestWorkloads.outputThroughput(live))
                .isCloseTo(TestWorkloads.outputThroughput(offline), within(TestWorkloads.outputThroughput(offline) * 0.10));
    }

    @Test
    void twoThousandStreamsEachGetEveryToken() throws Exception {
        Lateness lateness = runStreams(2_000);
        assertThat(lateness.steps()).isGreaterThanOrEqualTo(40);
    }

    @Test
    @Tag("bench") // Asserts the engine adds under 2 ms of lateness to its steps: a benchmark, not a unit test.
    void holdsTwoThousandStreamsOnSchedule() throws Exception {
        // The first run warms the JIT (a cold JVM interprets the first steps). On a shared, overloaded machine the
        // OS itself may not wake a thread for milliseconds, so each run is compared with a baseline: the same
        // 10 ms timed waits with no engine work. The engine must add under 2 ms at the median (best of three).
        runStreams(2_000);
        long added = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && added >= 2_000_000L; attempt++) {
            long baseline = baselineMedianLatenessNanos(45);
            Lateness lateness = runStreams(2_000);
            System.out.println("2000 streams: " + lateness.describe() + "; harness baseline median "
                    + baseline / 1e6 + " ms");
            assertThat(lateness.steps()).isGreaterThanOrEqualTo(40);
            added = Math.min(added, lateness.medianNanos() - baseline);
        }
        assertThat(added).isLessThan(2_000_000L);
    }

    /** Median lateness of bare 10 ms waits scheduled back to back from ideal end times, as the engine does. */
    private static long baselineMedianLatenessNanos(int steps) {
        double[] late = new double[steps];
        long idealEnd = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            idealEnd += 10_000_000L;
            LiveEngine.waitUntil(idealEnd);
            late[i] = System.nanoTime() - idealEnd;
        }
        return (long) TestWorkloads.median(late);
    }

    @Test
    void aFinishedRequestsTokensAreInTheSnapshotItsSinkSees() throws Exception {
        EngineConfig config = new EngineConfig(9_000, 16, 2048, 8192, 2048, true, true, 0, 4096);
        LiveEngine engine = LiveEngine.start(config, w -> 1_000_000L);
        try {
            for (int i = 0; i < 5; i++) {
                java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
                CountDownLatch done = new CountDownLatch(1);
                engine.submit(new EngineRequest("r" + i, TOKENIZER.encode("request " + i), 7, 7, true), new TokenSink() {
                    @Override
                    public void onTokens(int[] tokenIds, long nowNanos) { }

                    @Override
                    public void onFinished(FinishedRequest finished) {
                        // What a /metrics scrape right after the response would read.
                        seen.set(engine.snapshot().generationTokens());
                        done.countDown();
                    }
                });
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(seen.get()).as("request " + i).isEqualTo(7L * (i + 1));
            }
        } finally {
            engine.close();
        }
    }

    private static Lateness runStreams(int streams) throws InterruptedException {
        EngineConfig config = new EngineConfig(9_000, 16, 2048, 8192, 2048, true, true, 0, 4096);
        CountDownLatch all = new CountDownLatch(streams);
        AtomicInteger tokens = new AtomicInteger();
        TokenSink sink = new TokenSink() {
            @Override
            public void onTokens(int[] tokenIds, long nowNanos) {
                tokens.incrementAndGet();
            }

            @Override
            public void onFinished(FinishedRequest finished) {
                all.countDown();
            }
        };
        LiveEngine engine = LiveEngine.start(config, w -> 10_000_000L);
        for (int i = 0; i < streams; i++) {
            int[] prompt = TOKENIZER.encode("stream " + i + " says hello to the simulated engine");
            engine.submit(new EngineRequest("s" + i, prompt, 40, 40, true), sink);
        }
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        engine.close();
        // The snapshot is published after each step's deliveries; after close it is final.
        assertThat(engine.snapshot().generationTokens()).isEqualTo(streams * 40L);
        assertThat(tokens.get()).isEqualTo(streams * 40);
        return engine.lateness();
    }

    @Test
    void abortFreesTheRequestAndReportsIt() throws Exception {
        try (LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, STEP)) {
            CompletableFuture<FinishedRequest> finished = new CompletableFuture<>();
            engine.submit(new EngineRequest("a", TOKENIZER.encode("abort me soon"), 1000, 1000, true), new TokenSink() {
                @Override
                public void onTokens(int[] tokenIds, long nowNanos) {
                    engine.abort("a");
                }

                @Override
                public void onFinished(FinishedRequest f) {
                    finished.complete(f);
                }
            });
            FinishedRequest f = finished.get(10, TimeUnit.SECONDS);
            assertThat(f.reason()).isEqualTo(FinishReason.ABORT);
            assertThat(f.outputTokens()).isBetween(1, 3);
            assertThat(f.firstTokenNanos()).isGreaterThanOrEqualTo(f.scheduledNanos());
            assertThat(f.scheduledNanos()).isGreaterThanOrEqualTo(f.arrivalNanos());
            // A request submitted after the abort completes normally; once closed, nothing holds KV blocks.
            Client probe = new Client("probe", 3, 1, () -> { });
            engine.submit(new EngineRequest("probe", TOKENIZER.encode("one more"), 1, 1, true), probe);
            assertThat(probe.done.get(10, TimeUnit.SECONDS).reason()).isEqualTo(FinishReason.LENGTH);
            engine.close();
            EngineSnapshot snap = engine.snapshot();
            assertThat(snap.running()).isZero();
            assertThat(snap.kvCacheUsage()).isZero();
        }
    }

    @Test
    void closeAbortsWhatIsPendingAndLaterSubmits() throws Exception {
        LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, STEP);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Client c = new Client("c" + i, 3, 1000, () -> { });
            clients.add(c);
            engine.submit(new EngineRequest(c.id, TOKENIZER.encode("never ending " + i), 1000, 1000, true), c);
        }
        clients.getFirst().done.completeOnTimeout(null, 0, TimeUnit.MILLISECONDS);
        engine.close();
        for (Client c : clients.subList(1, 3)) {
            assertThat(c.done.get(5, TimeUnit.SECONDS).reason()).isEqualTo(FinishReason.ABORT);
        }
        Client late = new Client("late", 3, 10, () -> { });
        engine.submit(new EngineRequest("late", TOKENIZER.encode("too late"), 10, 10, true), late);
        assertThat(late.done.get(5, TimeUnit.SECONDS).reason()).isEqualTo(FinishReason.ABORT);
    }

    @Test
    void everyRequestSubmittedWhileTheEngineClosesGetsItsFinish() throws Exception {
        int senders = 4;
        int perSender = 300;
        CountDownLatch finished = new CountDownLatch(senders * perSender);
        CountDownLatch started = new CountDownLatch(senders);
        TokenSink sink = new TokenSink() {
            @Override
            public void onTokens(int[] tokenIds, long nowNanos) {
            }

            @Override
            public void onFinished(FinishedRequest f) {
                finished.countDown();
            }
        };
        LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, STEP);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int sender = t;
            threads.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                for (int i = 0; i < perSender; i++) {
                    engine.submit(new EngineRequest("r" + sender + "-" + i, TOKENIZER.encode("close race"), 4, 4, true), sink);
                }
            }));
        }
        started.await();
        engine.close(); // Races the senders: a request posted as the engine drains its inbox must still finish.
        for (Thread t : threads) t.join();
        assertThat(finished.await(30, TimeUnit.SECONDS)).as("requests left without a finish: %d", finished.getCount()).isTrue();
    }
}
