package dev.headroom.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Kubernetes side of a fleet study: where its objects go, what they run and how many at once.
 *
 * @param study          the study's name, the value of every object's {@link Labels#STUDY} label (a DNS label)
 * @param namespace      the namespace every object is created in
 * @param pools          the GPU classes, in the order given
 * @param server         what serves each config: vLLM from its official image, or {@code headroom sim} standing in
 * @param serverImage    the server container's image
 * @param headroomImage  the image of headroom itself (the in-cluster load; the simulator's pods)
 * @param hfTokenSecret  the Secret whose key {@code token} holds a Hugging Face token (HF_TOKEN), or null; never read here
 * @param parallel       configs served at once, at least 1
 * @param startupTimeout how long a server pod may take from creation to ready
 * @param poll           how often the coordinator reads its pods' and Jobs' state
 */
public record FleetSpec(String study, String namespace, List<GpuPool> pools, ServerKind server, String serverImage,
                        String headroomImage, String hfTokenSecret, int parallel, Duration startupTimeout, Duration poll) {

    /** vLLM's official image at the release the planner defaults to. */
    public static final String VLLM_IMAGE = "vllm/vllm-openai:v0.11.0";
    /** The image {@code ./build jib:build} (or {@code jib:buildTar}) makes of this version of headroom. */
    public static final String HEADROOM_IMAGE = "headroom:0.1.0";
    /** vLLM's port, where the server container listens. */
    public static final int PORT = 8000;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    /** What the server pods run. */
    public enum ServerKind {
        /** {@code vllm serve --config FILE}: the real thing, one GPU per pod. */
        VLLM,
        /** {@code headroom sim --config FILE --gpu CLASS}: no GPU, for a trial on a cluster without one (kind). */
        SIM
    }

    public FleetSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(server, "server");
        pools = List.copyOf(pools);
        if (study == null || !DNS_LABEL.matcher(study).matches()) {
            throw new IllegalArgumentException("study name '" + study + "' is not usable as a Kubernetes label: at "
                    + "most 40 lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        if (pools.isEmpty()) throw new IllegalArgumentException("--kubernetes needs at least one --gpu-class");
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be at least 1, was " + parallel);
        if (hfTokenSecret != null && !DNS_LABEL.matcher(hfTokenSecret).matches() && !hfTokenSecret.matches("[a-z0-9.-]{1,253}")) {
            throw new IllegalArgumentException("--hf-token-secret '" + hfTokenSecret + "' is not a Secret's name");
        }
    }

    /** A study name from a folder name: lower-case, other characters as '-', at most 40 characters. */
    public static String studyName(String folderName) {
        String s = folderName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (s.length() > 40) s = s.substring(0, 40).replaceAll("-+$", "");
        return s.isEmpty() ? "study" : s;
    }
}
