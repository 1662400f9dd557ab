package dev.headroom.analysis;

/**
 * Whether a load meets the SLO, its error range considered. A measured load either meets or misses it (its repeats'
 * means against the thresholds). A load the simulator gave carries a published error range on each figure
 * ({@link LoadPoint#range}): it meets the SLO only when its whole range does, misses it when its whole range does,
 * and is uncertain when the range crosses a threshold: within the prediction's error of the target, so only a
 * measurement can say.
 */
public enum SloJudgement {
    /** The load meets the SLO: measured, or over its whole predicted range. */
    MEETS("meets"),
    /** The predicted range crosses a threshold: meeting it or not is within the prediction's error. */
    UNCERTAIN("uncertain"),
    /** The load misses the SLO: measured, over its whole predicted range, or by its server errors or failure. */
    MISSES("misses");

    private final String key;

    SloJudgement(String key) {
        this.key = key;
    }

    /** analysis.json's word: {@code meets}, {@code uncertain}, {@code misses}. */
    public String key() {
        return key;
    }
}
