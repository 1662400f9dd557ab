package dev.headroom.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** headroom's version, from the build, for every file that records which tool wrote it. */
public final class ToolVersion {

    private ToolVersion() {}

    /** The version of this build, or {@code dev} outside a packaged build. */
    public static String version() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/dev/headroom/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
