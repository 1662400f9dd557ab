package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpLayoutTest {

    @Test
    void wrapsAtSpacesOnlyAndKeepsDottedWordsWhole() {
        List<String> lines = HelpLayout.wrap("Catalog model (e.g. qwen2.5-1.5b-instruct, llama-3.1-8b) at http://127.0.0.1:8000 now", 20);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(22));
        assertThat(String.join(" ", lines)).isEqualTo(
                "Catalog model (e.g. qwen2.5-1.5b-instruct, llama-3.1-8b) at http://127.0.0.1:8000 now");
        assertThat(lines).contains("qwen2.5-1.5b-instruct,", "http://127.0.0.1:8000");
    }

    @Test
    void everyVerbsHelpFitsTheWidthAndSplitsNoWord() {
        for (String verb : Headroom.commandLine().getSubcommands().keySet()) {
            if (verb.equals("help")) continue;
            CliRun run = CliRun.headroom(verb, "--help");
            assertThat(run.exit()).as(verb).isZero();
            assertThat(run.out()).as(verb).doesNotContain("e. g.", "http: //", "3. 1");
            String options = run.out().substring(Math.max(0, run.out().indexOf("\n  ")));
            for (String line : options.split("\n")) {
                if (line.startsWith("       ")) assertThat(line.length()).as(verb + ": " + line).isLessThanOrEqualTo(HelpLayout.WIDTH);
            }
        }
    }

    @Test
    void shortNamesComeFirstAndLongOnlyOptionsLineUpAfterThem() {
        String help = CliRun.headroom("plan", "--help").out();
        assertThat(help).contains("\n  -q, --quantization=METHOD", "\n  -tp, --tensor-parallel-size=N", "\n      --gpu=GPU");
    }

    @Test
    void noVerbPrintsTheVerbsAndExitsNonZero() {
        CliRun run = CliRun.headroom();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Commands:", "run", "plan");
    }
}
