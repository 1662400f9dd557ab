package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11's done command on the virtual clock: prefix caching on and off, side by side in capacity.csv and the playbook. */
class PrefixCachingStudyTest {

    @Test
    void aCachingOnOffGridShowsTheTtftBenefitAndTheHitRate(@TempDir Path dir) throws IOException {
        Path sweep = dir.resolve("sweep");
        CliRun r = CliRun.headroom("sweep", "--offline", "--workload", "chat", "--turns", "4", "--shared-prefix-tokens", "1024",
                "--serve-grid", "enable_prefix_caching=true,false", "--concurrency", "4", "--requests", "16", "--gpu", "t4",
                "--out", sweep.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(sweep.resolve("capacity.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, String[]> byConfig = lines.stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toMap(cells -> cells[0], cells -> cells));
        String[] on = byConfig.get("enable_prefix_caching=true");
        String[] off = byConfig.get("enable_prefix_caching=false");
        int ttft = header.indexOf("median_ttft_ms");
        int hit = header.indexOf("server_prefix_cache_hit_rate");
        assertThat(Double.parseDouble(on[ttft])).isLessThan(Double.parseDouble(off[ttft]));
        assertThat(Double.parseDouble(on[hit])).isGreaterThan(0.5);

        CliRun playbook = CliRun.headroom("playbook", sweep.toString(), "--out", dir.resolve("pb").toString());
        assertThat(playbook.exit()).as(playbook.err()).isZero();
        String md = Files.readString(dir.resolve("pb/playbook.md"));
        assertThat(md).contains("### Prefix caching", "as the lab's advice expects")
                .contains("| prefix caching | Load | prefix-cache hit rate | median TTFT |", "| on | c=4 |", "| off | c=4 | off |")
                .doesNotContain("no config toggled it", "Not swept in this study: prefix caching");
    }
}
