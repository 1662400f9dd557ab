package dev.headroom.cli;

import dev.headroom.selftest.ClientOverhead;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code headroom selftest client}: measures the load client against a loopback server with a known schedule. */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Measure headroom itself: 'client' prints the load client's CPU per streamed chunk and its timing error.")
public final class SelftestCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "client", paramLabel = "WHAT", description = "What to measure: client (default).")
    String what;

    @Option(names = "--streams", defaultValue = "100,256,1000",
            description = "Concurrent stream levels, e.g. 100,256,1000 (default: ${DEFAULT-VALUE}).")
    String streams;

    @Option(names = "--window", defaultValue = "3s", converter = Durations.class,
            description = "Measured window per level (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Override
    public Integer call() throws Exception {
        if (!what.equals("client")) {
            throw new Errors.UserError("selftest '" + what + "' is not known; use client");
        }
        int[] levels = NumberLists.integers("--streams", streams).stream().mapToInt(Integer::intValue).toArray();
        for (int level : levels) {
            if (level < 1) throw new Errors.UserError("--streams levels must be at least 1, was " + level);
        }
        ClientOverhead.run(System.out, levels, window);
        return 0;
    }
}
