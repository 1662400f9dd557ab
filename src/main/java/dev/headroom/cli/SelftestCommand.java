package dev.headroom.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the verb lands; replaced by its owner. */
@Command(name = "selftest", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class SelftestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
