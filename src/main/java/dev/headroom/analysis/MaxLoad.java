package dev.headroom.analysis;

/**
 * The largest load that still meets the SLO, as {@link MaxLoadSearch} found it from the loads the client delivered.
 *
 * @param load         the estimate on the group's axis, within the bracket; null when even the lowest delivered load
 *                     misses the SLO, or the client delivered none
 * @param interpolated whether {@code load} lies between two measured loads (else it is a measured load)
 * @param bracketLow   the highest delivered, passing load below the first failing one, or null when none passes
 * @param bracketHigh  the lowest delivered, failing load, or null when every delivered load passes
 * @param rangeLow     the smallest estimate the repeats allow (their worst SLO ratios), or null
 * @param rangeHigh    the largest estimate the repeats allow (their best SLO ratios), or null
 * @param metric       the summary key of the objective that binds at the crossing, e.g. {@code p95_e2el_ms}
 * @param confidence   {@code high}, {@code medium} or {@code low}, a colon, and why
 * @param nextLoad     the load to run next: the bracket's midpoint (bisection), a repeat of bracketLow when no
 *                     runnable load fits inside, twice the top load when all pass, half the lowest when none does;
 *                     null when none helps
 * @param suggestion   that advice in words
 */
public record MaxLoad(Double load, boolean interpolated, Double bracketLow, Double bracketHigh, Double rangeLow,
                      Double rangeHigh, String metric, String confidence, Double nextLoad, String suggestion) {
}
