package dev.headroom.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code headroom} command: one subcommand per verb. */
@Command(name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = Headroom.Version.class,
        description = "How much traffic one GPU can take: measure, predict and explain LLM serving capacity.",
        subcommands = {RunCommand.class, PlanCommand.class, SimCommand.class, SelftestCommand.class, CalibrateCommand.class,
                CommandLine.HelpCommand.class})
public final class Headroom implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the end-to-end tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Headroom());
        cli.setExecutionExceptionHandler(new Errors.ExecutionHandler());
        cli.setParameterExceptionHandler(new Errors.ParameterHandler());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The tool version, from the build. */
    public static String version() {
        try (InputStream in = Headroom.class.getResourceAsStream("/dev/headroom/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"headroom " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
