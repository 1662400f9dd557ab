package dev.headroom.analysis;

import java.util.Objects;

/**
 * The load analyze recommends for a group, by the group's objective, and what the loads around it cost.
 *
 * @param objective what the load is chosen for, and why that objective applies
 * @param load      the recommended load, or null when none qualifies
 * @param next      the next delivered load above {@code load}: what crossing to it costs or gains; null when
 *                  {@code load} is the highest delivered load or there is none
 * @param sloBound  the highest delivered load meeting the SLO with every delivered load below it meeting it too
 *                  (what the latency SLO alone would choose), or null when the lowest delivered load misses it; a
 *                  load the simulator gave meets it only over its whole error range ({@link SloJudgement#MEETS})
 * @param toConfirm for the latency objective, the highest delivered load above {@code sloBound} meeting the SLO on
 *                  its central prediction, every delivered load below it likewise, but not over its whole range
 *                  ({@link SloJudgement#UNCERTAIN}): the load to measure before relying on it; null when there is
 *                  none (always for measured loads and for the throughput objective)
 * @param job       the batch job to finish, or null
 * @param inTime    with a job, the smallest load the throughput objective allows that finishes the job by its
 *                  deadline, or null
 * @param reason    why this load, in sentences with the numbers
 */
public record Recommendation(Objectives.Choice objective, LoadPoint load, LoadPoint next, LoadPoint sloBound,
                             LoadPoint toConfirm, Objectives.Job job, LoadPoint inTime, String reason) {

    public Recommendation {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(reason, "reason");
    }
}
