package dev.headroom.pipeline;

/**
 * An error inside headroom (its own code or its own files), as opposed to the server's: its cause in one line, for
 * the console and capacity.csv's {@code error} cell.
 */
public final class ToolError {

    private ToolError() {}

    /** {@code FileSystemException: /out/requests.jsonl: Is a directory}: the exception's class and its message's first line. */
    public static String cause(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
        String type = e.getClass().getSimpleName().isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName();
        return message.isEmpty() ? type : type + ": " + message;
    }
}
