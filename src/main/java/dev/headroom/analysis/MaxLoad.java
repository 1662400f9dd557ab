package dev.headroom.analysis;

/**
 * The largest load that still meets the SLO, as {@link MaxLoadSearch} found it.
 *
 * @param load         the estimate on the group's axis, or null when even the lowest load misses the SLO
 * @param interpolated whether {@code load} lies between two measured loads (else it is a measured load)
 * @param bracketLow   the highest passing load below the first failing one, or null when none passes
 * @param bracketHigh  the lowest failing load, or null when every load passes
 * @param rangeLow     the smallest estimate the repeats allow (their worst SLO ratios), or null
 * @param rangeHigh    the largest estimate the repeats allow (their best SLO ratios), or null
 * @param metric       the summary key of the objective that binds at the crossing, e.g. {@code p95_e2el_ms}
 * @param confidence   {@code high}, {@code medium} or {@code low}, a colon, and why
 * @param nextLoad     the load to run next to narrow the bracket or confirm it, or null when none helps
 * @param suggestion   that advice in words
 */
public record MaxLoad(Double load, boolean interpolated, Double bracketLow, Double bracketHigh, Double rangeLow,
                      Double rangeHigh, String metric, String confidence, Double nextLoad, String suggestion) {
}
