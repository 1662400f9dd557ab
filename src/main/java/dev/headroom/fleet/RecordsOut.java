package dev.headroom.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load container's last step: prints its sweep folder as {@link RecordsArchive} lines on standard output (the
 * pod's log). {@code java -cp @/app/jib-classpath-file dev.headroom.fleet.RecordsOut /results/sweep}.
 */
public final class RecordsOut {

    private RecordsOut() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("headroom: RecordsOut needs the sweep folder to print; got " + String.join(" ", args));
            System.exit(2);
        }
        RecordsArchive.write(Path.of(args[0]), System.out);
    }
}
