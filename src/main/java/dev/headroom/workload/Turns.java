package dev.headroom.workload;

import java.util.SplittableRandom;

/** {@code --turns}: a fixed number of turns per session ({@code 4}) or a uniform range ({@code 2..6}). */
public record Turns(int min, int max) {

    public Turns {
        if (min < 1 || max < min) throw new IllegalArgumentException("--turns needs 1 <= min <= max, was " + min + ".." + max);
    }

    public static Turns fixed(int turns) {
        return new Turns(turns, turns);
    }

    /** Parses {@code N} or {@code MIN..MAX}. */
    public static Turns parse(String spec) {
        String s = spec.strip();
        try {
            int dots = s.indexOf("..");
            if (dots < 0) return fixed(Integer.parseInt(s));
            return new Turns(Integer.parseInt(s.substring(0, dots).strip()), Integer.parseInt(s.substring(dots + 2).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--turns '" + spec + "' is not a number of turns; use N or MIN..MAX, e.g. 4 or 2..6");
        }
    }

    /** One session's number of turns. */
    public int sample(SplittableRandom random) {
        return min == max ? min : random.nextInt(min, max + 1);
    }
}
