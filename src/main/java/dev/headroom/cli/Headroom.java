package dev.headroom.cli;

import dev.headroom.results.ToolVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code headroom} command: one subcommand per verb. */
@Command(name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = Headroom.Version.class,
        description = "How much traffic one GPU can take: measure, predict and explain LLM serving capacity.",
        subcommands = {RunCommand.class, SweepCommand.class, AnalyzeCommand.class, ReportCommand.class,
                PlaybookCommand.class, DemoCommand.class, PlanCommand.class, SimCommand.class, ServeCommand.class,
                CalibrateCommand.class, SelftestCommand.class, TuneCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class Headroom implements java.util.concurrent.Callable<Integer> {

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
        HelpLayout.install(cli);
        return cli;
    }

    /** {@code headroom} with no verb: the verbs on stderr and exit 2, as for any other incomplete command line. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Errors.USAGE;
    }

    /** The tool version, from the build. */
    public static String version() {
        return ToolVersion.version();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"headroom " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
