package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void utimeAndStimeAreReadAfterANameThatHoldsSpacesAndParentheses() {
        // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (C2 Compiler (x)) S 1 4242 4242 0 -1 4194368 10 0 0 0 137 21 0 0 20 0 30 0 99 0 0";
        assertThat(ThreadCpu.ticks(stat)).isEqualTo(158);
    }

    @Test
    void threadsAreGroupedByWhatTheyDo() {
        assertThat(ThreadCpu.group("headroom-stream")).isEqualTo(ThreadCpu.IO); // comm keeps 15 characters
        assertThat(ThreadCpu.group("GC Thread#3")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.group("headroom-sender")).isEqualTo(ThreadCpu.OTHER);
        assertThat(ThreadCpu.group("headroom-lag-pr")).isEqualTo(ThreadCpu.PROBE);
    }

    @Test
    void aDeltaIsPerGroupAndNeverNegative() {
        ThreadCpu before = new ThreadCpu(Map.of(ThreadCpu.IO, 50L, ThreadCpu.GC, 30L));
        ThreadCpu after = new ThreadCpu(Map.of(ThreadCpu.IO, 80L, ThreadCpu.GC, 10L));
        ThreadCpu delta = after.since(before);
        assertThat(delta.nanosByGroup()).containsEntry(ThreadCpu.IO, 30L).containsEntry(ThreadCpu.GC, 0L);
    }
}
