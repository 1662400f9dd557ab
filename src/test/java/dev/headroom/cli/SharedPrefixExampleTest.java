package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's shared-prefix example runs as written; a prefix longer than the prompts says what would fit. */
class SharedPrefixExampleTest {

    private static final String EXAMPLE = "--input-tokens 2048 --shared-prefix-tokens 1024 --prefix-groups 4";

    @Test
    void theReadmeExampleRuns(@TempDir Path dir) throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains("`" + EXAMPLE + "`");
        String[] args = ("run --offline --workload chat --output-tokens 8 --requests 8 " + EXAMPLE + " --out "
                + dir.resolve("run")).split(" ");

        CliRun r = CliRun.headroom(args);

        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aPrefixLongerThanTheDefaultChatPromptsNamesTheLimitAndTheWayOut(@TempDir Path dir) {
        CliRun r = CliRun.headroom("run", "--offline", "--workload", "chat", "--shared-prefix-tokens", "1024",
                "--out", dir.resolve("run").toString());

        assertThat(r.exit()).isEqualTo(Errors.USAGE);
        // The default chat prompts spread from 64 tokens up: the shortest bounds a prefix every prompt holds.
        assertThat(r.err().strip()).startsWith("headroom: --shared-prefix-tokens 1024 leaves too little of the shortest "
                + "prompts (64 tokens); "
                + "it must be at most ").endsWith("(the prefix is part of each prompt: raise --input-tokens, or lower "
                + "--shared-prefix-tokens)").doesNotContain("\n");
    }
}
