package dev.headroom.fleet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * How a load pod's records come back: its sweep folder, zipped, as Base64 lines between two marker lines in the
 * pod's log, which the coordinator reads through the API ({@code pods/log}), the one channel every cluster and
 * the mock API server serve alike. The begin line carries the archive's size and SHA-256, so a log the kubelet
 * rotated or cut is found out, never read as a shorter sweep.
 */
public final class RecordsArchive {

    static final String BEGIN = "headroom-records begin";
    static final String END = "headroom-records end";
    private static final Pattern BEGIN_LINE = Pattern.compile(Pattern.quote(BEGIN) + " bytes=(\\d+) sha256=([0-9a-f]{64})");

    private RecordsArchive() {}

    /** Prints every file under {@code dir} as the archive lines. */
    public static void write(Path dir, PrintStream out) throws IOException {
        byte[] zip = zip(dir);
        out.println(BEGIN + " bytes=" + zip.length + " sha256=" + sha256(zip));
        String base64 = Base64.getEncoder().encodeToString(zip);
        for (int i = 0; i < base64.length(); i += 76) out.println(base64.substring(i, Math.min(base64.length(), i + 76)));
        out.println(END);
        out.flush();
    }

    /**
     * Unpacks the archive that {@code log} holds into {@code into}.
     *
     * @throws IOException naming what is wrong: no archive, an unfinished one, or one whose size or digest differs
     */
    public static void read(List<String> log, Path into) throws IOException {
        int begin = -1;
        Matcher m = null;
        for (int i = 0; i < log.size() && begin < 0; i++) {
            m = BEGIN_LINE.matcher(log.get(i).strip());
            if (m.matches()) begin = i;
        }
        if (begin < 0) throw new IOException("the load pod's log holds no records (its sweep wrote no folder)");
        StringBuilder base64 = new StringBuilder();
        int end = -1;
        for (int i = begin + 1; i < log.size() && end < 0; i++) {
            String line = log.get(i).strip();
            if (line.equals(END)) end = i;
            else base64.append(line);
        }
        if (end < 0) {
            throw new IOException("the records in the load pod's log end before their last line (the kubelet cut or "
                    + "rotated the log: raise containerLogMaxSize, or sweep fewer points per config)");
        }
        byte[] zip;
        try {
            zip = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("the records in the load pod's log are not Base64: " + e.getMessage());
        }
        if (zip.length != Long.parseLong(m.group(1)) || !sha256(zip).equals(m.group(2))) {
            throw new IOException("the records in the load pod's log differ from what the pod wrote (" + zip.length
                    + " bytes of " + m.group(1) + ", or another SHA-256)");
        }
        unzip(zip, into);
    }

    private static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void unzip(byte[] zip, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path file = root.resolve(e.getName()).normalize();
                // A name that climbs out of the folder is no file of a sweep: refuse it, write nothing there.
                if (!file.startsWith(root)) throw new IOException("the records name a file outside their folder: " + e.getName());
                if (e.isDirectory()) continue;
                Files.createDirectories(file.getParent());
                Files.write(file, in.readAllBytes());
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
