package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixPlanTest {

    private static final TokenCounter CL100K = TokenCounter.cl100k();

    @Test
    void aTargetBecomesWholeBlocksPlusHalfABlockOfSlack() {
        PrefixPlan plan = PrefixPlan.hitTarget(0.6, 4).resolve(200, 1024, 1024);
        // k = round(0.6 · 200 · 1024 / (196 · 16)) = 39 blocks.
        assertThat(plan.sharedPrefixTokens()).isEqualTo(39 * 16 + 8);
        assertThat(plan.expectedHitRate(200, 1024)).isCloseTo(196 * 39 * 16 / (200 * 1024.0), within(1e-9))
                .isCloseTo(0.6, within(0.01));
    }

    @Test
    void aGivenLengthIsRoundedToItsBlocksPlusSlack() {
        assertThat(PrefixPlan.shared(1024, 2).resolve(10, 2048, 2048).sharedPrefixTokens()).isEqualTo(1032);
        assertThat(PrefixPlan.shared(1030, 2).withBlockSize(32).resolve(10, 2048, 2048).sharedPrefixTokens()).isEqualTo(1040);
    }

    @Test
    void unreachableTargetsAndOverlongPrefixesSayWhatIsPossible() {
        assertThatThrownBy(() -> PrefixPlan.hitTarget(0.9, 50).resolve(100, 1024, 1024))
                .hasMessageStartingWith("--prefix-hit-target 0.9 is out of reach with --prefix-groups 50 over 100 requests")
                .hasMessageContaining("the most is 0.48");
        assertThatThrownBy(() -> PrefixPlan.shared(900, 1).resolve(100, 512, 512))
                .hasMessageStartingWith("--shared-prefix-tokens 900 leaves too little of 512-token prompts");
        assertThatThrownBy(() -> PrefixPlan.hitTarget(1.2, 1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> PrefixPlan.of(100, 2, 0.5)).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> PrefixPlan.of(null, 2, null)).hasMessageStartingWith("--prefix-groups needs");
        assertThat(PrefixPlan.of(null, null, null)).isNull();
        assertThatThrownBy(() -> new SummarizeWorkload(Lengths.fixed(10)).withPrefix(PrefixPlan.shared(64, 1)))
                .hasMessageContaining("--workload chat or random");
    }

    @Test
    void promptsOfAGroupShareTheirSystemPromptAndGroupsDiffer() {
        Workload chat = new ChatWorkload(Lengths.fixed(600), Lengths.fixed(10)).withPrefix(PrefixPlan.shared(256, 3));
        List<Prompt> prompts = chat.prompts(9, 5, CL100K);
        assertThat(prompts.get(0).system()).isEqualTo(prompts.get(3).system()).isEqualTo(prompts.get(6).system());
        assertThat(prompts.get(0).system()).isNotEqualTo(prompts.get(1).system());
        assertThat(CL100K.count(prompts.get(1).system(), "")).isEqualTo(264);
        assertThat(prompts).allMatch(p -> p.inputTokens() == 600);
        assertThat(chat.expectedPrefixHitRate(9).orElseThrow()).isCloseTo(6 * 256 / (9 * 600.0), within(1e-9));
        assertThat(new ChatWorkload(Lengths.fixed(600), Lengths.fixed(10)).expectedPrefixHitRate(9)).isEmpty();
    }
}
