package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.metrics.Slo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The SLO a sweep ran with, per workload, as sweep.json's {@code inputs} record it: {@code "slo": {"chat":
 * "p95_e2el=1500ms,..."}} and {@code "slo_source": "--slo"} or {@code "playbook default"}. {@code analyze} judges a
 * sweep's points by a given {@code --slo}; the playbook default is analyze's own default too.
 *
 * @param byWorkload each workload's SLO, in the sweep's workload order
 * @param given      whether {@code --slo} set it (false: the serving playbook's default per workload)
 */
public record SweepSlo(Map<String, Slo> byWorkload, boolean given) {

    /** sweep.json's {@code slo_source} of an SLO given with {@code --slo}. */
    public static final String GIVEN = "--slo";
    /** sweep.json's {@code slo_source} of the playbook's defaults. */
    public static final String PLAYBOOK = "playbook default";

    public SweepSlo {
        byWorkload = Map.copyOf(new LinkedHashMap<>(byWorkload));
    }

    /** The SLO {@code --slo} gave the workload, or null when the sweep ran with the playbook's default. */
    public Slo givenFor(String workload) {
        return given ? byWorkload.get(workload) : null;
    }

    /** sweep.json's two input keys, {@code slo} and {@code slo_source}, in the order of {@code workloads}. */
    public Map<String, Object> toMap(Iterable<String> workloads) {
        Map<String, Object> slos = new LinkedHashMap<>();
        for (String w : workloads) slos.put(w, Objects.requireNonNull(byWorkload.get(w), w).spec());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slo", slos);
        m.put("slo_source", given ? GIVEN : PLAYBOOK);
        return m;
    }

    /**
     * Reads {@code inputs.slo} and {@code inputs.slo_source}: an object of specs per workload; a single spec (as a
     * run's --slo is written) stands for every workload. A spec this version cannot parse is bad input naming it.
     */
    static SweepSlo of(JsonNode inputs, String where) {
        JsonNode slo = inputs.path("slo");
        boolean given = GIVEN.equals(inputs.path("slo_source").asText(""));
        Map<String, Slo> byWorkload = new LinkedHashMap<>();
        if (slo.isObject()) {
            for (Map.Entry<String, JsonNode> e : slo.properties()) byWorkload.put(e.getKey(), parse(e.getValue(), where));
        } else if (slo.isTextual() && !slo.asText().isBlank()) {
            Slo one = parse(slo, where);
            for (JsonNode w : inputs.path("workloads")) byWorkload.put(w.asText(), one);
            given = true;
        }
        return new SweepSlo(byWorkload, given && !byWorkload.isEmpty());
    }

    private static Slo parse(JsonNode spec, String where) {
        try {
            return Slo.parse(spec.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": inputs.slo '" + spec.asText() + "' is not an SLO ("
                    + e.getMessage() + ")");
        }
    }
}
