package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fitting long prompts takes a bounded number of counts, so 100K-token contexts cost no more than a few passes. */
class LongContextTest {

    /** Counts how often {@code inner} is asked. */
    private static final class Counting implements TokenCounter {
        private final TokenCounter inner;
        final AtomicInteger calls = new AtomicInteger();
        long charsCounted;

        Counting(TokenCounter inner) {
            this.inner = inner;
        }

        @Override
        public int count(String system, String user) {
            calls.incrementAndGet();
            charsCounted += user.length() + (system == null ? 0 : system.length());
            return inner.count(system, user);
        }

        @Override
        public String name() {
            return inner.name();
        }
    }

    @Test
    void aHundredThousandTokenPromptTakesAFewCl100kCounts() {
        Counting counter = new Counting(TokenCounter.cl100k());
        TextFitter.Fitted fitted = TextFitter.fit(ChatWorkload.SYSTEM, "Summarize the context.", 100_000,
                new SplittableRandom(1), counter);
        assertThat(fitted.tokens()).isEqualTo(100_000);
        assertThat(TokenCounter.cl100k().count(ChatWorkload.SYSTEM, fitted.user())).isEqualTo(100_000);
        assertThat(counter.calls.get()).isLessThanOrEqualTo(5);
        // Linear work: the text counted over all calls is a few prompt lengths, not a sum over growing prefixes.
        assertThat(counter.charsCounted).isLessThan(5L * fitted.user().length());
    }

    @Test
    void aTokenizerWithMoreTokensPerWordConvergesAsFast() {
        // One and a half tokens per word: an additive correction would take a dozen rounds at this length.
        Counting counter = new Counting(new TokenCounter() {
            @Override
            public int count(String system, String user) {
                int words = user.isBlank() ? 0 : user.strip().split(" +").length;
                return words + words / 2;
            }

            @Override
            public String name() {
                return "one-and-a-half";
            }
        });
        TextFitter.Fitted fitted = TextFitter.fit(null, "", 127_999, new SplittableRandom(2), counter);
        assertThat(fitted.tokens()).isEqualTo(127_999);
        assertThat(counter.calls.get()).isLessThanOrEqualTo(6);
        // 128 000 is no word count's length here (85 333 words give 127 999, 85 334 give 128 001): the closest
        // under it comes back, after the bounded rounds.
        counter.calls.set(0);
        assertThat(TextFitter.fit(null, "", 128_000, new SplittableRandom(2), counter).tokens()).isEqualTo(127_999);
        assertThat(counter.calls.get()).isLessThanOrEqualTo(1 + TextFitter.MAX_ROUNDS);
    }

    @Test
    void a128kChatWorkloadPromptIsExact() {
        Counting counter = new Counting(TokenCounter.cl100k());
        Prompt prompt = new ChatWorkload(Lengths.fixed(128_000), Lengths.fixed(16)).prompts(1, 3, counter).getFirst();
        assertThat(prompt.inputTokens()).isEqualTo(128_000);
        assertThat(counter.calls.get()).isLessThanOrEqualTo(5);
    }
}
