package dev.headroom.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The real command line, run in-process with its output captured: what end-to-end CLI tests drive. */
record CliRun(int exit, String out, String err) {

    static CliRun headroom(String... args) {
        CommandLine cli = Headroom.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
