package dev.headroom.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for nvidia-smi: a shell script that records its arguments and process id, prints the given lines in one
 * write (real {@code --format=csv,noheader,nounits} lines) and then either waits to be stopped, as nvidia-smi's loop
 * does, or exits with a status, as nvidia-smi does when it cannot reach the driver.
 */
public final class FakeNvidiaSmi {

    private FakeNvidiaSmi() {}

    /**
     * Writes the script {@code dir/nvidia-smi}.
     *
     * @param exitStatus null to keep running until stopped, else the status to exit with after printing
     */
    public static Path write(Path dir, List<String> lines, Integer exitStatus) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("lines.txt"), lines);
        Path script = dir.resolve("nvidia-smi");
        String d = dir.toAbsolutePath().toString().replace("'", "'\\''");
        Files.writeString(script, "#!/bin/sh\n"
                + "printf '%s\\n' \"$@\" > '" + d + "/args.txt'\n"
                + "echo $$ > '" + d + "/pid.txt'\n"
                + "cat '" + d + "/lines.txt'\n"
                + (exitStatus == null ? "exec sleep 600\n" : "exit " + exitStatus + "\n"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** The arguments the script was started with, one per element. */
    public static List<String> args(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("args.txt"));
    }

    /** The script's process, if it is still running. */
    public static boolean alive(Path dir) throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("pid.txt")).strip());
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
