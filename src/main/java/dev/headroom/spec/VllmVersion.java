package dev.headroom.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vLLM release, e.g. {@code 0.11.0}. Versions from 0.8.0 run the V1 engine by default (reference §1-§3);
 * earlier ones the V0 engine.
 */
public record VllmVersion(int major, int minor, int patch) implements Comparable<VllmVersion> {

    /** The default: a recent V1 release. */
    public static final VllmVersion DEFAULT = new VllmVersion(0, 11, 0);

    private static final Pattern FORM = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[.+-].*)?");

    public VllmVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("--vllm-version parts must be non-negative");
        }
    }

    /** Parses {@code 0.11.0}, {@code v0.8.5}, {@code 0.10} or {@code 0.10.1.post1}. */
    public static VllmVersion parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--vllm-version: '" + text + "' is not a version; use e.g. 0.11.0 or 0.8.5");
        }
        VllmVersion v = new VllmVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        if (v.compareTo(new VllmVersion(0, 4, 0)) < 0) {
            throw new IllegalArgumentException("--vllm-version: '" + text + "' is older than 0.4.0, which headroom does not model");
        }
        return v;
    }

    /** True when this release runs the V1 engine by default (0.8.0 and later). */
    public boolean isV1() {
        return atLeast(0, 8, 0);
    }

    /** True when this release is at least {@code major.minor.patch}. */
    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new VllmVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(VllmVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
