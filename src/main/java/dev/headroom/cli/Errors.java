package dev.headroom.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** How errors reach users: one line on stderr, a non-zero exit, never a stack trace. */
final class Errors {

    /** Exit code for bad input (an option, a file, a value). */
    static final int USAGE = 2;
    /** Exit code when the run could not reach its target or failed part-way. */
    static final int FAILURE = 1;

    private Errors() {}

    /** Bad input discovered while running a verb: the message is the one line users see. */
    static final class UserError extends RuntimeException {
        final int exitCode;

        UserError(String message) {
            this(message, USAGE);
        }

        UserError(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    static final class ExecutionHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
            PrintWriter err = cli.getErr();
            if (ex instanceof UserError user) {
                err.println("headroom: " + user.getMessage());
                return user.exitCode;
            }
            if (ex instanceof IllegalArgumentException bad) {
                err.println("headroom: " + bad.getMessage());
                return USAGE;
            }
            err.println("headroom: internal error: " + ex);
            if (System.getenv("HEADROOM_DEBUG") != null) ex.printStackTrace(err);
            return FAILURE;
        }
    }

    static final class ParameterHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("headroom " + ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("Try 'headroom " + ex.getCommandLine().getCommandName() + " --help'.");
            return USAGE;
        }
    }
}
