package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.plan.FixedStep;
import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.StepCostModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API server in front of the live engine, on its schedule: what the engine stamps and when it hands events to
 * the sinks, bounded from below (a loaded machine may only make the engine thread later, never earlier).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveFrontEndTest {

    private static final SimTokenizer TOKENIZER = new SimTokenizer(4096);

    /** Every step 1 ms, behind an API server with these costs. */
    private static StepCostModel cost(FrontEnd api) {
        return new FixedStep(1_000_000, api);
    }

    /**
     * A sink that stamps the wall clock at each event, next to the step end the engine gives; its tokens also go to
     * {@code everyToken}, in the order the engine hands them out.
     */
    private static final class Stamps implements TokenSink {
        final List<long[]> tokens = Collections.synchronizedList(new ArrayList<>());
        final List<long[]> everyToken;
        final CompletableFuture<FinishedRequest> done = new CompletableFuture<>();
        volatile long finishedAtNanos;

        Stamps(List<long[]> everyToken) {
            this.everyToken = everyToken;
        }

        @Override
        public void onTokens(int[] tokenIds, long nowNanos) {
            long[] stamp = {nowNanos, System.nanoTime()};
            tokens.add(stamp);
            everyToken.add(stamp);
        }

        @Override
        public void onFinished(FinishedRequest finished) {
            finishedAtNanos = System.nanoTime();
            done.complete(finished);
        }
    }

    private static int[] prompt(int i, int tokens) {
        int[] ids = TOKENIZER.encode("request " + i);
        return java.util.Arrays.copyOf(ids, tokens);
    }

    /**
     * Three prompts of 100 tokens sent at once are tokenized one after another (5 ms each at 50 µs a token), then
     * handed to the engine core 4 ms later: vLLM's arrival is the end of tokenization, its queueing 4 ms after.
     */
    @Test
    void theEngineCoreGetsEachRequestAfterItsTokenizationAndHandOff() throws Exception {
        List<Stamps> sinks = new ArrayList<>();
        try (LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, cost(new FrontEnd(4, 50, 0)))) {
            for (int i = 0; i < 3; i++) {
                Stamps s = new Stamps(new ArrayList<>());
                sinks.add(s);
                engine.submit(new EngineRequest("r" + i, prompt(i, 100), 2, 2, true), s);
            }
            List<FinishedRequest> done = new ArrayList<>();
            for (Stamps s : sinks) done.add(s.done.get(10, TimeUnit.SECONDS));
            for (FinishedRequest f : done) {
                assertThat(f.queuedNanos() - f.arrivalNanos()).as("the hand-off").isEqualTo(4_000_000);
                assertThat(f.scheduledNanos()).isGreaterThanOrEqualTo(f.queuedNanos());
            }
            for (int i = 1; i < 3; i++) {
                assertThat(done.get(i).arrivalNanos() - done.get(i - 1).arrivalNanos())
                        .as("tokenized behind the one before").isGreaterThanOrEqualTo(5_000_000);
            }
        }
    }

    /**
     * Three requests in one step, 2 ms of streaming per output token: the API server sends the step's tokens one after
     * another, so the n-th token handed out reaches its sink no sooner than n·2 ms after the first step ended, and a
     * request's finish never before its last token.
     */
    @Test
    void aStepsTokensReachTheirSinksOnlyOnceTheApiServerStreamedThem() throws Exception {
        List<Stamps> sinks = new ArrayList<>();
        List<long[]> all = Collections.synchronizedList(new ArrayList<>());
        try (LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, cost(new FrontEnd(0, 0, 2_000)))) {
            for (int i = 0; i < 3; i++) {
                Stamps s = new Stamps(all);
                sinks.add(s);
                engine.submit(new EngineRequest("r" + i, prompt(i, 16), 2, 2, true), s);
            }
            for (Stamps s : sinks) assertThat(s.done.get(10, TimeUnit.SECONDS).reason()).isEqualTo(FinishReason.LENGTH);
        }
        assertThat(all).hasSize(6);
        long firstStepEnd = all.get(0)[0];
        for (int n = 0; n < all.size(); n++) {
            assertThat(all.get(n)[1] - firstStepEnd).as("token " + n).isGreaterThanOrEqualTo((n + 1) * 2_000_000L);
        }
        for (Stamps s : sinks) assertThat(s.finishedAtNanos).isGreaterThanOrEqualTo(s.tokens.get(1)[1]);
    }

    /** A request aborted while the API server still ingests it gets its finish, and nothing is left in the engine. */
    @Test
    void aRequestAbortedBeforeTheEngineCoreHasItIsFinished() throws Exception {
        Stamps s = new Stamps(new ArrayList<>());
        try (LiveEngine engine = LiveEngine.start(OfflineRunnerTest.CONFIG, cost(new FrontEnd(5_000, 0, 0)))) {
            engine.submit(new EngineRequest("slow", prompt(0, 16), 4, 4, true), s);
            engine.abort("slow");
            FinishedRequest f = s.done.get(10, TimeUnit.SECONDS);
            assertThat(f.reason()).isEqualTo(FinishReason.ABORT);
            assertThat(f.outputTokens()).isZero();
            assertThat(engine.snapshot().waiting()).isZero();
        }
    }
}
