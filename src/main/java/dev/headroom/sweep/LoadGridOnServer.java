package dev.headroom.sweep;

import java.io.IOException;

/**
 * The load half of a sweep, as the server half calls it: runs every load point of the grid (workloads × loads ×
 * repeats) against one started server. The server half starts and classifies servers and writes {@code configs.csv};
 * the load half writes the point folders and the rows of {@code capacity.csv}.
 */
public interface LoadGridOnServer {

    /**
     * Runs the grid against {@code server}, started for {@code variant}.
     *
     * @param plan the planner's check of the variant; its {@link PlanCheck#serverValues()} are capacity.csv's
     *             server-config columns
     * @return true when the server was still alive after the last point; false when it died under load (the points
     *         run so far are kept, the rest are recorded as {@code server_died})
     */
    boolean run(ServeVariant variant, PlanCheck plan, ServerHandle server) throws IOException, InterruptedException;
}
