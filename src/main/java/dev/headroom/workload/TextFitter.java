package dev.headroom.workload;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds prompt text whose token count, as a {@link TokenCounter} counts it, hits a target: a lead text
 * followed by common English words (most are one token in BPE vocabularies), with the word count corrected
 * by the measured difference until the count matches or no word count can match.
 */
final class TextFitter {

    /** A fitted user message and its counted tokens (with the system message). */
    record Fitted(String user, int tokens) {}

    private static final String[] WORDS = (
            "the of and to in is was for on that with as it by at from his an be this are have not but had "
            + "they you which one were all we when there can been has more if will would who so no out up into "
            + "time only new some could these two may first then do any like my now over such our man me even most "
            + "made after also did many before must through back years where much your way well down should because "
            + "each just those people how too little state good very make world still own see men work long get here "
            + "between both life being under never day same another know while last might us great old year off come "
            + "since against go came right used take three states himself few house use during without again place "
            + "around however home small found thought went say part once general high upon school every does got "
            + "united left number course war until always away something fact though water less public put think "
            + "almost hand enough far took head yet government system better set told nothing night end why called "
            + "find going look asked later knew point next program city business give group toward young days let "
            + "room president side social given present several order national possible rather second face per "
            + "among form important often things looked early white case large big need four within felt along "
            + "children saw best church ever least power development light thing seemed family interest want "
            + "members mind country area others done turned although open problem service certain kind began "
            + "different door thus help sense means whole matter perhaps itself york times law human line above "
            + "name example action company local show whether five history gave today either act feet across "
            + "taken past quite anything seen having death experience body word half really field week car words "
            + "themselves information period change").split(" ");

    /** Most counts after the first: the bound on a fit's cost when no word count hits the target exactly. */
    static final int MAX_ROUNDS = 16;

    private TextFitter() {}

    /**
     * Appends words to {@code lead} so that {@code counter.count(system, user)} equals {@code targetTokens}
     * when reachable; otherwise returns the closest count found, preferring one under the target. Each round
     * composes and counts the text once (linear in its length) and corrects the word count by the miss divided
     * by the tokens per word measured so far, so a 128K-token prompt takes a handful of counts, not thousands.
     */
    static Fitted fit(String system, String lead, int targetTokens, SplittableRandom random, TokenCounter counter) {
        String[] filler = new String[Math.max(16, targetTokens + 16)];
        for (int i = 0; i < filler.length; i++) filler[i] = WORDS[random.nextInt(WORDS.length)];
        int baseTokens = counter.count(system, lead);
        int words = Math.max(0, targetTokens - baseTokens);
        Fitted best = null;
        Set<Integer> tried = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (!tried.add(words)) {
                // Oscillating around a word worth two tokens: draw another last word and try again.
                if (words > 0) filler[words - 1] = WORDS[random.nextInt(WORDS.length)];
                tried.clear();
                tried.add(words);
            }
            if (words > filler.length) filler = grow(filler, words, random);
            String user = compose(lead, filler, words);
            int tokens = counter.count(system, user);
            Fitted candidate = new Fitted(user, tokens);
            if (tokens == targetTokens) return candidate;
            if (best == null || closer(candidate, best, targetTokens)) best = candidate;
            words = Math.max(0, words + step(targetTokens - tokens, tokens - baseTokens, words));
        }
        return best;
    }

    /** Words to add for a miss of {@code missTokens}, at the tokens per word measured over the filler so far. */
    private static int step(int missTokens, int fillerTokens, int words) {
        if (Math.abs(missTokens) <= 2 || words == 0 || fillerTokens <= 0) return missTokens;
        double tokensPerWord = Math.max(0.25, Math.min(4, (double) fillerTokens / words));
        return (int) Math.round(missTokens / tokensPerWord);
    }

    private static boolean closer(Fitted a, Fitted b, int target) {
        int da = Math.abs(a.tokens() - target);
        int db = Math.abs(b.tokens() - target);
        return da < db || da == db && a.tokens() < b.tokens();
    }

    private static String compose(String lead, String[] filler, int words) {
        StringBuilder text = new StringBuilder(lead.length() + words * 7);
        text.append(lead);
        for (int i = 0; i < words; i++) {
            if (!text.isEmpty()) text.append(' ');
            text.append(filler[i]);
        }
        return text.toString();
    }

    private static String[] grow(String[] filler, int words, SplittableRandom random) {
        String[] more = java.util.Arrays.copyOf(filler, words + 16);
        for (int i = filler.length; i < more.length; i++) more[i] = WORDS[random.nextInt(WORDS.length)];
        return more;
    }
}
