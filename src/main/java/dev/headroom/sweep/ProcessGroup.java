package dev.headroom.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A started server's process group, so that stopping it reaches every process it forked, including those its
 * shell left behind when it exited (they are re-parented and no longer its descendants). Where the system has
 * {@code setsid} (Linux), a server command is run under it: the server's own process id is then also its group's id,
 * and the group's members are read from {@code /proc}. Elsewhere a server is stopped with its descendants only.
 */
final class ProcessGroup {

    private static final Optional<Path> SETSID = ServerCommand.executable("setsid");

    private ProcessGroup() {}

    /** {@code argv} run as the leader of a new process group (same process id), where the system allows it. */
    static List<String> leading(List<String> argv) {
        if (SETSID.isEmpty() || !Files.isDirectory(Path.of("/proc/self"))) return argv;
        List<String> led = new ArrayList<>(argv.size() + 1);
        led.add(SETSID.get().toString());
        led.addAll(argv);
        return led;
    }

    /** Whether commands passed through {@link #leading} become group leaders here. */
    static boolean supported() {
        return SETSID.isPresent() && Files.isDirectory(Path.of("/proc/self"));
    }

    /**
     * The live processes of the group {@code leaderPid} leads, the leader first when alive; empty where groups are
     * not {@link #supported()}.
     */
    static List<ProcessHandle> members(long leaderPid) {
        if (!supported()) return List.of();
        return ProcessHandle.allProcesses().filter(p -> groupOf(p.pid()) == leaderPid)
                .sorted((a, b) -> Boolean.compare(b.pid() == leaderPid, a.pid() == leaderPid)).toList();
    }

    /** The process group id from {@code /proc/<pid>/stat} (the field after state and parent id), or -1. */
    static long groupOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces and parentheses: fields start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }
}
