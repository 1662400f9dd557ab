package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {

    private static final TokenCounter CL100K = TokenCounter.cl100k();
    private static final long THINK_NANOS = 2_000_000_000L;

    private static Session scripted() {
        SessionScript script = new SessionScript("be brief", List.of("q one", "q two", "q three"), List.of(2, 2, 2),
                List.of(10, 20, 30));
        return new Session("s", script, THINK_NANOS);
    }

    @Test
    void eachTurnCarriesTheWholeHistoryWithTheServersRealAnswers() {
        Session session = scripted();
        Conversation first = session.next(null);
        assertThat(first.messages()).containsExactly(Message.system("be brief"), Message.user("q one"));
        assertThat(first.thinkTimeNanos()).isZero();
        assertThat(first.outputTokens()).isEqualTo(10);
        Conversation second = session.next("answer one");
        assertThat(second.messages()).containsExactly(Message.system("be brief"), Message.user("q one"),
                Message.assistant("answer one"), Message.user("q two"));
        assertThat(second.turn()).isEqualTo(1);
        assertThat(second.thinkTimeNanos()).isEqualTo(THINK_NANOS);
        Conversation third = session.next("");
        assertThat(third.messages()).hasSize(6).element(4).isEqualTo(Message.assistant(""));
        assertThat(third.outputTokens()).isEqualTo(30);
        assertThat(session.hasNext()).isFalse();
        // Earlier turns are snapshots: later answers do not change what was sent.
        assertThat(first.messages()).hasSize(2);
        assertThat(third.completionText()).startsWith("system: be brief\n\nuser: q one\n\nassistant: answer one\n\n")
                .endsWith("user: q three\n\nassistant:");
    }

    @Test
    void misuseIsRefused() {
        Session session = scripted();
        assertThatThrownBy(() -> session.next("no question was asked")).hasMessageContaining("first turn has no previous answer");
        session.next(null);
        assertThatThrownBy(() -> session.next(null)).hasMessageContaining("turn 1 needs the answer to turn 0");
        session.next("a");
        session.next("b");
        assertThatThrownBy(() -> session.next("c")).hasMessageContaining("has no turn after its 3 turns");
        assertThatThrownBy(() -> new Session("x", scripted0(), -1)).hasMessageContaining("--think-time");
    }

    private static SessionScript scripted0() {
        return new SessionScript(null, List.of("q"), List.of(1), List.of(1));
    }

    @Test
    void interleavedSessionsKeepTheirOwnAnswers() {
        List<Session> sessions = new ChatWorkload(Lengths.fixed(40), Lengths.fixed(8)).sessions(3, 9, CL100K, Turns.fixed(3), 0);
        List<List<Conversation>> sent = new ArrayList<>();
        for (int s = 0; s < 3; s++) sent.add(new ArrayList<>());
        // Round-robin over sessions, as a load pattern would interleave them; the "server" answers with an id.
        for (int turn = 0; turn < 3; turn++) {
            for (int s = 0; s < 3; s++) {
                String previous = turn == 0 ? null : "answer " + s + "." + (turn - 1);
                sent.get(s).add(sessions.get(s).next(previous));
            }
        }
        for (int s = 0; s < 3; s++) {
            List<Message> last = sent.get(s).get(2).messages();
            assertThat(last).filteredOn(m -> m.role().equals("assistant")).extracting(Message::content)
                    .containsExactly("answer " + s + ".0", "answer " + s + ".1");
            assertThat(last.getFirst()).isEqualTo(Message.system(ChatWorkload.SYSTEM));
        }
    }

    @Test
    void chatSessionsDrawTurnsAndFitEachUserMessage() {
        List<Session> sessions = new ChatWorkload(Lengths.fixed(64), Lengths.fixed(16)).sessions(20, 4, CL100K, Turns.parse("2..4"), 0);
        assertThat(sessions).extracting(Session::turns).allMatch(n -> n >= 2 && n <= 4).contains(2, 4);
        Conversation c = sessions.get(0).next(null);
        assertThat(c.userTokens()).isEqualTo(64);
        assertThat(CL100K.count(null, c.messages().getLast().content())).isEqualTo(64);
        List<Session> again = new ChatWorkload(Lengths.fixed(64), Lengths.fixed(16)).sessions(20, 4, CL100K, Turns.parse("2..4"), 0);
        assertThat(again.get(0).next(null)).isEqualTo(c);
        assertThatThrownBy(() -> new RandomWorkload(Lengths.fixed(8), Lengths.fixed(8)).sessions(1, 1, CL100K, Turns.fixed(2), 0))
                .hasMessageContaining("--turns works with --workload chat or dataset:PATH");
    }

    @Test
    void turnsParse() {
        assertThat(Turns.parse("4")).isEqualTo(Turns.fixed(4));
        assertThat(Turns.parse(" 2..6 ")).isEqualTo(new Turns(2, 6));
        assertThatThrownBy(() -> Turns.parse("many")).hasMessage("--turns 'many' is not a number of turns; use N or MIN..MAX, e.g. 4 or 2..6");
        assertThatThrownBy(() -> Turns.parse("5..2")).hasMessageContaining("1 <= min <= max");
    }

    @Test
    void shareGptMultiTurnConversationsBecomeSessions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sharegpt.json");
        Files.writeString(file, "[{\"conversations\":[{\"from\":\"human\",\"value\":\"What is a cache?\"},"
                + "{\"from\":\"gpt\",\"value\":\"A place that keeps copies of data close by.\"},"
                + "{\"from\":\"human\",\"value\":\"Why does it help?\"},{\"from\":\"gpt\",\"value\":\"Fewer slow trips.\"},"
                + "{\"from\":\"human\",\"value\":\"Any downside?\"}]}]");
        Workload dataset = Workload.parse("dataset:" + file, null, null);
        Session all = dataset.sessions(1, 0, CL100K, null, 0).getFirst();
        assertThat(all.turns()).isEqualTo(3);
        Conversation first = all.next(null);
        assertThat(first.messages()).containsExactly(Message.user("What is a cache?"));
        assertThat(first.outputTokens()).isEqualTo(CL100K.count(null, "A place that keeps copies of data close by."));
        assertThat(all.next("real answer").messages()).containsExactly(Message.user("What is a cache?"),
                Message.assistant("real answer"), Message.user("Why does it help?"));
        assertThat(all.next("x").outputTokens()).isEqualTo(DatasetWorkload.DEFAULT_OUTPUT_TOKENS);
        assertThat(dataset.sessions(1, 0, CL100K, Turns.fixed(2), 0).getFirst().turns()).isEqualTo(2);
    }

    @Test
    void jsonlConversationsKeepTheirSystemMessage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("chats.jsonl");
        Files.writeString(file, "{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":\"Name a prime.\"},{\"role\":\"assistant\",\"content\":\"Seven.\"},"
                + "{\"role\":\"user\",\"content\":\"Another?\"}],\"output_tokens\":12}\n"
                + "{\"prompt\":\"single\"}\n");
        Workload dataset = Workload.parse("dataset:" + file, null, Lengths.fixed(5));
        List<Session> sessions = dataset.sessions(2, 3, CL100K, null, 0);
        Session chat = sessions.stream().filter(s -> s.turns() == 2).findFirst().orElseThrow();
        assertThat(chat.next(null).messages()).containsExactly(Message.system("You are terse."), Message.user("Name a prime."));
        assertThat(chat.next("Eleven.").outputTokens()).isEqualTo(5);
        List<Prompt> prompts = Workload.parse("dataset:" + file, null, null).prompts(2, 3, CL100K);
        assertThat(prompts).extracting(Prompt::system).containsOnly("You are terse.", null);
        assertThat(prompts).extracting(Prompt::outputTokens).containsOnly(12, DatasetWorkload.DEFAULT_OUTPUT_TOKENS);
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}\n");
        assertThatThrownBy(() -> Workload.parse("dataset:" + bad, null, null).prompts(1, 0, CL100K))
                .hasMessage(bad + " line 1: expected \"messages\" with at least one \"user\" message");
    }
}
