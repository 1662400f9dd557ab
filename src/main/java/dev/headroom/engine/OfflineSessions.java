package dev.headroom.engine;

import dev.headroom.plan.StepCostModel;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.Conversation;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Multi-turn sessions through the simulated engine on the virtual clock, as {@code load.SessionRunner} sends them
 * over HTTP: each turn carries the history with the engine's own previous answers (its output token ids decoded,
 * so the history grows by the output tokens) and goes its think time after the answer's last token. A closed loop
 * keeps {@code concurrency} sessions going; an open loop starts session i at its offset, at most {@code concurrency}
 * at once when capped (a later one starts when a session ends). With a duration (closed loop), no session or turn
 * starts at or after its end. Records are tagged with their turn.
 */
public final class OfflineSessions {

    private OfflineSessions() {}

    /**
     * Runs the warm-up prompts, then {@code sessions}.
     *
     * @param sessionOffsetsNanos open loop: session i starts at this offset from the measured phase's start; null
     *                            for a closed loop
     */
    public static OfflineRunner.Result run(EngineConfig config, StepCostModel costModel, List<Prompt> warmup,
                                           List<Session> sessions, LoadPattern pattern, long[] sessionOffsetsNanos,
                                           OfflineRunner.Options options) {
        if (pattern.isOpenLoop()) Objects.requireNonNull(sessionOffsetsNanos, "session offsets are needed for an open loop");
        SimTokenizer tokenizer = new SimTokenizer(config.vocabSize());
        VirtualClockLoop loop = new VirtualClockLoop(config, costModel, tokenizer);
        OfflineRunner.warmUp(loop, warmup, tokenizer, options, pattern);
        long origin = loop.now();
        loop.startSampling(options.sampleNanos());
        long deadline = options.durationNanos() > 0 ? origin + options.durationNanos() : Long.MAX_VALUE;
        Client client = new Client(sessions, pattern, sessionOffsetsNanos, origin, deadline, tokenizer, options);
        RequestRecord[] records = loop.runPhase(client);
        loop.finishSampling();
        List<RequestRecord> out = new ArrayList<>(records.length);
        for (int i = 0; i < records.length; i++) {
            out.add(OfflineRunner.shifted(records[i], origin).withTurn(client.turnOf.get(i)));
        }
        return new OfflineRunner.Result(List.copyOf(out), loop.snapshot(), loop.deliveredUntil() - origin, loop.steps(), loop.samples());
    }

    /** A turn waiting for its time: sendable at {@code atNanos}, meant for {@code scheduledNanos}. */
    private record Pending(long atNanos, long scheduledNanos, long order, int session, Conversation turn) {}

    /** The simulated HTTP client of the sessions: who sends what, when. */
    private static final class Client implements VirtualClockLoop.Client {
        private final List<Session> sessions;
        private final LoadPattern pattern;
        private final long[] offsets;
        private final long origin;
        private final long deadline;
        private final SimTokenizer tokenizer;
        private final OfflineRunner.Options options;
        private final PriorityQueue<Pending> pending = new PriorityQueue<>(
                (a, b) -> a.atNanos() != b.atNanos() ? Long.compare(a.atNanos(), b.atNanos()) : Long.compare(a.order(), b.order()));
        private final List<Integer> sessionOf = new ArrayList<>();
        final List<Integer> turnOf = new ArrayList<>();
        private int nextSession;
        private int active;
        private long order;

        Client(List<Session> sessions, LoadPattern pattern, long[] offsets, long origin, long deadline,
               SimTokenizer tokenizer, OfflineRunner.Options options) {
            this.sessions = sessions;
            this.pattern = pattern;
            this.offsets = offsets;
            this.origin = origin;
            this.deadline = deadline;
            this.tokenizer = tokenizer;
            this.options = options;
            if (!pattern.isOpenLoop()) {
                for (int i = 0; i < pattern.concurrency(); i++) startNext(origin, origin);
            }
        }

        @Override
        public long nextSendNanos() {
            long turn = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().atNanos();
            return Math.min(turn, nextArrivalNanos());
        }

        /** An open loop's next session start, when a slot is free for it. */
        private long nextArrivalNanos() {
            if (!pattern.isOpenLoop() || nextSession >= Math.min(sessions.size(), offsets.length)) return Long.MAX_VALUE;
            if (pattern.isCapped() && active >= pattern.concurrency()) return Long.MAX_VALUE;
            return origin + offsets[nextSession];
        }

        @Override
        public VirtualClockLoop.Release take(int index) {
            long arrival = nextArrivalNanos();
            if (pending.isEmpty() || arrival < pending.peek().atNanos()) startNext(arrival, arrival);
            Pending p = pending.poll();
            sessionOf.add(p.session());
            turnOf.add(p.turn().turn());
            return new VirtualClockLoop.Release(request(p), p.scheduledNanos());
        }

        @Override
        public void finished(int index, int[] outputTokenIds, long nowNanos) {
            int s = sessionOf.get(index);
            Session session = sessions.get(s);
            if (session.hasNext()) {
                Conversation next = session.next(text(outputTokenIds));
                long due = nowNanos + next.thinkTimeNanos();
                if (due < deadline) {
                    pending.add(new Pending(due, due, order++, s, next));
                    return;
                }
            }
            active--;
            if (!pattern.isOpenLoop()) {
                startNext(nowNanos, nowNanos);
            } else if (pattern.isCapped() && nextArrivalNanos() < nowNanos) {
                // An arrival that found every slot taken starts now, meant for its arrival time.
                startNext(nowNanos, nextArrivalNanos());
            }
        }

        /** Starts the next session (if any remains and the duration allows) with its first turn sendable at {@code at}. */
        private void startNext(long at, long scheduled) {
            if (nextSession >= sessions.size() || at >= deadline) return;
            int s = nextSession++;
            active++;
            pending.add(new Pending(at, scheduled, order++, s, sessions.get(s).next(null)));
        }

        private EngineRequest request(Pending p) {
            Conversation c = p.turn();
            int[] ids = options.format() == PromptFormat.CHAT ? tokenizer.encodeChat(c.messages())
                    : tokenizer.encode(c.completionText());
            int minTokens = options.ignoreEos() ? c.outputTokens() : 0;
            return new EngineRequest("sim-" + p.session() + "-" + c.turn(), ids, c.outputTokens(), minTokens, options.ignoreEos());
        }

        private String text(int[] outputTokenIds) {
            StringBuilder text = new StringBuilder(outputTokenIds.length * 6);
            for (int id : outputTokenIds) text.append(tokenizer.decode(id));
            return text.toString();
        }
    }
}
