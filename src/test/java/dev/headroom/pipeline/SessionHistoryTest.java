package dev.headroom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.EngineRequest;
import dev.headroom.engine.EngineSnapshot;
import dev.headroom.engine.FinishedRequest;
import dev.headroom.engine.LiveEngine;
import dev.headroom.engine.ServingEngine;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.engine.TokenSink;
import dev.headroom.load.Api;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.results.RequestLog;
import dev.headroom.results.SummaryJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.server.SimServerOptions;
import dev.headroom.server.SimTokenizers;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Turns;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-turn sessions against the simulator served over HTTP: each turn carries the server's real previous answer. */
class SessionHistoryTest {

    /** The simulator's engine, remembering every prompt it was sent and every token it produced, by request id. */
    private static final class RecordingEngine implements ServingEngine {
        final ServingEngine inner;
        final Map<String, int[]> prompts = new ConcurrentHashMap<>();
        final Map<String, StringBuilder> answers = new ConcurrentHashMap<>();
        final SimTokenizer tokenizer;

        RecordingEngine(ServingEngine inner, SimTokenizer tokenizer) {
            this.inner = inner;
            this.tokenizer = tokenizer;
        }

        @Override
        public void submit(EngineRequest request, TokenSink sink) {
            prompts.put(request.requestId(), request.promptTokenIds());
            StringBuilder answer = answers.computeIfAbsent(request.requestId(), id -> new StringBuilder());
            inner.submit(request, new TokenSink() {
                @Override
                public void onTokens(int[] tokenIds, long nowNanos) {
                    for (int id : tokenIds) answer.append(tokenizer.decode(id));
                    sink.onTokens(tokenIds, nowNanos);
                }

                @Override
                public void onFinished(FinishedRequest finished) {
                    sink.onFinished(finished);
                }
            });
        }

        @Override
        public void abort(String requestId) {
            inner.abort(requestId);
        }

        @Override
        public EngineSnapshot snapshot() {
            return inner.snapshot();
        }

        @Override
        public void close() {
            inner.close();
        }

        /** The id the server gave session s's turn t (chatcmpl- + headroom's x-request-id, which ends in -s-t). */
        String id(int session, int turn) {
            String suffix = "-" + session + "-" + turn;
            return prompts.keySet().stream().filter(id -> id.endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private static boolean contains(int[] haystack, int[] needle) {
        return IntStream.rangeClosed(0, haystack.length - needle.length).anyMatch(at ->
                IntStream.range(0, needle.length).allMatch(k -> haystack[at + k] == needle[k]));
    }

    @Test
    void everyTurnCarriesTheServersRealPreviousAnswer(@TempDir Path dir) throws IOException {
        ServingSetup setup = SimLauncher.embeddedDefaultSetup();
        EngineConfig config = EngineConfig.from(setup, Planner.plan(setup));
        SimTokenizer tokenizer = new SimTokenizer(config.vocabSize());
        RecordingEngine engine = new RecordingEngine(LiveEngine.start(config,
                Roofline.from(setup, RooflineCalibration.DEFAULTS)), tokenizer);
        int sessions = 4;
        int turns = 3;
        try (SimServer sim = SimServer.start(engine, SimServerOptions.loopback("m", setup.serve().maxModelLen(),
                SimTokenizers.of(tokenizer)))) {
            Traffic traffic = new Traffic(null, null, null, null, 1, Turns.fixed(turns), Duration.ofMillis(5), false);
            LoadPoint point = new LoadPoint(Api.CHAT, "chat", Lengths.fixed(48), Lengths.fixed(12), LoadPattern.closedLoop(2),
                    sessions, null, 0, 7, true, Map.of(), Duration.ofSeconds(30), 1, null, traffic);
            PointContext ctx = new PointContext(dir, "run", new PointEvents() { }, SignalStop.none(), Duration.ofMillis(100));
            RunPoint.run(point, new PointTarget.Measured(sim.baseUrl(), null, Map.of(), null, null, null), ctx);
        }
        for (int s = 0; s < sessions; s++) {
            for (int t = 1; t < turns; t++) {
                String previous = engine.answers.get(engine.id(s, t - 1)).toString();
                assertThat(previous).isNotBlank();
                // ChatML as the server tokenizes it: the assistant message is the previous answer, verbatim.
                int[] assistant = tokenizer.encode("assistant\n" + previous);
                assertThat(contains(engine.prompts.get(engine.id(s, t)), assistant)).as("session %d turn %d", s, t).isTrue();
                assertThat(engine.prompts.get(engine.id(s, t)).length).isGreaterThan(engine.prompts.get(engine.id(s, t - 1)).length + 12);
            }
        }
        List<RequestRecord> records = RequestLog.read(dir.resolve("requests.jsonl"));
        assertThat(records).hasSize(sessions * turns).allSatisfy(r -> assertThat(r.ok()).isTrue());
        assertThat(records).extracting(RequestRecord::turn).containsOnly(0, 1, 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perTurn = (List<Map<String, Object>>) SummaryJson.read(dir.resolve("summary.json")).get("turns");
        assertThat(perTurn).extracting(m -> ((Number) m.get("completed")).intValue()).containsExactly(4, 4, 4);
        assertThat(perTurn).extracting(m -> ((Number) m.get("mean_prompt_tokens")).doubleValue()).isSorted();
    }
}
