package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.server.SimLauncher;
import dev.headroom.spec.ServeFlags;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code headroom sim}'s choice of what to serve. */
class SimCommandTest {

    private static ServeFlags flags(String... args) {
        SimCommand sim = new SimCommand();
        new CommandLine(sim).parseArgs(args);
        return sim.flags();
    }

    @Test
    void withoutModelServesTheEmbeddedDefaultUnderTheUsersFlags() {
        ServeFlags flags = flags("--max-num-seqs", "64");

        assertThat(flags.model()).isEqualTo(SimLauncher.DEFAULT_MODEL);
        assertThat(flags.maxModelLen()).as("vLLM's default: the model's full context").isNull();
        assertThat(flags.gpuMemoryUtilization()).as("vLLM's default 0.9, not the chat recipe's 0.8").isNull();
        assertThat(flags.maxNumSeqs()).isEqualTo(64);
    }

    @Test
    void aModelIsServedWithVllmsDefaults() {
        ServeFlags flags = flags("--model", "llama-3.1-8b-instruct");

        assertThat(flags.model()).isEqualTo("llama-3.1-8b-instruct");
        assertThat(flags.maxModelLen()).isNull();
    }
}
