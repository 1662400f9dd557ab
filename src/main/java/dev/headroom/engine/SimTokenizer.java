package dev.headroom.engine;

import dev.headroom.workload.Message;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulator's deterministic tokenizer, close to a BPE tokenizer's token count on English prose without its
 * vocabulary: 1.25 tokens per word on the bundled summarize corpus, 3.5% above OpenAI's cl100k_base there.
 *
 * <p>Rule: text is cut into pieces the way cl100k's pre-tokenizer cuts it, and each piece is one token, except
 * that letter runs split every {@value #LETTERS_PER_TOKEN} letters: a run of letters with at most one leading
 * non-letter (a space, a quote, a bracket: {@code " understanding"} is {@code " understa" "nding"}); 1 to 3
 * digits; a run of punctuation with an optional leading space and trailing line breaks; whitespace, whose last
 * space joins the word after it. A piece's id is a 32-bit FNV-1a hash of its characters modulo the ordinary-token
 * range {@code [0, vocabSize - 3)}; the top three ids are EOS and the chat-template markers. Equal text always
 * gives equal ids, so prefix caching sees shared prefixes.
 *
 * <p>Output: the {@code i}-th generated token of a request is drawn, by a hash of the prompt and {@code i}, from
 * a list of common English words, so streamed text reads as (meaningless) English. Without {@code ignore_eos} a
 * request's natural length is {@link #naturalOutputTokens}.
 */
public final class SimTokenizer {

    /** Smallest vocabulary the tokenizer accepts. */
    public static final int MIN_VOCAB_SIZE = 1024;
    /** Letters per token of a long word. */
    public static final int LETTERS_PER_TOKEN = 8;

    private static final String[] OUTPUT_WORDS = outputWords(
            "the of and to in is that for it as was with be by on not he this are or his from at which but have"
            + " an they you were her she there been one all we their has would when if so no will more can out"
            + " time about up what some them into only other new could its these two may first then do any like"
            + " my now over such our man me even most made after also did many before must through back years"
            + " where much your way well down should because each just those people how too little state good"
            + " very make world still own see men work long get here between both life being under never day same"
            + " another know while last might us great old year off come since against go came right used take"
            + " three the the of of and a a to in");

    private final int vocabSize;
    private final int ordinaryIds;
    private final int[] outputIds;
    private final Map<Integer, String> outputText = new HashMap<>();

    /** A tokenizer for a model with {@code vocabSize} token ids. */
    public SimTokenizer(int vocabSize) {
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocab_size must be at least " + MIN_VOCAB_SIZE + ", was " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.ordinaryIds = vocabSize - 3;
        this.outputIds = new int[OUTPUT_WORDS.length];
        for (int i = 0; i < OUTPUT_WORDS.length; i++) {
            outputIds[i] = pieceId(OUTPUT_WORDS[i], 0, OUTPUT_WORDS[i].length());
            outputText.putIfAbsent(outputIds[i], OUTPUT_WORDS[i]);
        }
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The end-of-sequence token id (decodes to empty text, as vLLM skips special tokens). */
    public int eosTokenId() {
        return vocabSize - 1;
    }

    /** The token ids of {@code text}, by the rule in the class comment. */
    public int[] encode(String text) {
        int[] out = new int[Math.max(8, text.length() / 3)];
        int n = 0;
        int i = 0;
        int len = text.length();
        while (i < len) {
            int end = pieceEnd(text, i);
            if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[n++] = pieceId(text, i, end);
            i = end;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * A chat prompt in ChatML form (the Qwen template): {@code <|im_start|>system\n…<|im_end|>\n} when a system
     * message is given, then the user turn, then {@code <|im_start|>assistant\n}. Markers are single tokens.
     */
    public int[] encodeChat(String systemOrNull, String user) {
        int start = vocabSize - 2;
        int end = vocabSize - 3;
        int[] sys = systemOrNull == null ? new int[0] : concat(new int[] {start}, encode("system\n" + systemOrNull),
                new int[] {end}, encode("\n"));
        return concat(sys, new int[] {start}, encode("user\n" + user), new int[] {end}, encode("\n"),
                new int[] {start}, encode("assistant\n"));
    }

    /**
     * A multi-turn chat prompt in the same ChatML form: each message as {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n},
     * then {@code <|im_start|>assistant\n}; for a system and a user message it equals {@link #encodeChat(String, String)}.
     */
    public int[] encodeChat(List<Message> messages) {
        int start = vocabSize - 2;
        int end = vocabSize - 3;
        int[][] parts = new int[messages.size() * 4 + 2][];
        int k = 0;
        for (Message m : messages) {
            parts[k++] = new int[] {start};
            parts[k++] = encode(m.role() + "\n" + m.content());
            parts[k++] = new int[] {end};
            parts[k++] = encode("\n");
        }
        parts[k++] = new int[] {start};
        parts[k] = encode("assistant\n");
        return concat(parts);
    }

    /** The text of one generated token: a word for ids this tokenizer generates, a pseudo-word otherwise. */
    public String decode(int tokenId) {
        if (tokenId < 0 || tokenId >= vocabSize) {
            throw new IllegalArgumentException("token id must be in [0, " + vocabSize + "), was " + tokenId);
        }
        if (tokenId >= ordinaryIds) return "";
        String word = outputText.get(tokenId);
        return word != null ? word : pseudoWord(tokenId);
    }

    /** The {@code index}-th output token of the request whose prompt has seed {@code seed} ({@link #seedOf}). */
    public int outputTokenId(long seed, int index) {
        long h = RequestState.mix(seed + (index + 1) * 0x9E3779B97F4A7C15L);
        return outputIds[(int) Long.remainderUnsigned(h, outputIds.length)];
    }

    /** A request's seed: a hash of its prompt token ids (equal prompts stream equal text, as greedy decoding). */
    public static long seedOf(int[] promptTokenIds) {
        long h = 0x2545F4914F6CDD1DL;
        for (int id : promptTokenIds) h = RequestState.mix(h ^ id) + id;
        return h;
    }

    /**
     * Output tokens a request produces before EOS when {@code ignore_eos} is off: 16 to 511 from the prompt's
     * seed (a chat-like spread, mean about 260), never fewer than {@code min_tokens}; {@code max_tokens} still caps.
     */
    public static int naturalOutputTokens(long seed, int minTokens) {
        int natural = 16 + (int) Long.remainderUnsigned(RequestState.mix(seed ^ 0xE7037ED1A0B428DBL), 496);
        return Math.max(Math.max(1, minTokens), natural);
    }

    // Words with their leading space, and punctuation about once in eight tokens.
    private static String[] outputWords(String words) {
        String[] w = words.split(" ");
        String[] out = Arrays.copyOf(w, w.length + w.length / 7);
        for (int i = 0; i < w.length; i++) out[i] = " " + w[i];
        for (int i = w.length; i < out.length; i++) out[i] = i % 3 == 0 ? "." : ",";
        return out;
    }

    // Pieces after cl100k's pre-tokenizer, without its merges: [one leading mark]letters, 1-3 digits,
    // [space]punctuation run[newlines], whitespace (its last space joins a following word or punctuation).
    private static int pieceEnd(String s, int i) {
        int len = s.length();
        char c = s.charAt(i);
        if (Character.isLetter(c) || (isMark(c) && i + 1 < len && Character.isLetter(s.charAt(i + 1)))) {
            int j = Character.isLetter(c) ? i : i + 1;
            int limit = Math.min(len, j + LETTERS_PER_TOKEN);
            while (j < limit && Character.isLetter(s.charAt(j))) j++;
            return j;
        }
        if (isDigit(c)) {
            int j = i;
            while (j < Math.min(len, i + 3) && isDigit(s.charAt(j))) j++;
            return j;
        }
        if (isPunctuation(c) || (c == ' ' && i + 1 < len && isPunctuation(s.charAt(i + 1)))) {
            int j = i + 1;
            while (j < len && isPunctuation(s.charAt(j))) j++;
            while (j < len && (s.charAt(j) == '\n' || s.charAt(j) == '\r')) j++;
            return j;
        }
        int j = i;
        while (j < len && Character.isWhitespace(s.charAt(j))) j++;
        boolean lastSpaceJoinsNext = j < len && j - i > 1 && s.charAt(j - 1) == ' ';
        return lastSpaceJoinsNext ? j - 1 : j;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A character that may lead a word: anything but letters, digits and line breaks. */
    private static boolean isMark(char c) {
        return !Character.isLetterOrDigit(c) && c != '\n' && c != '\r';
    }

    private static boolean isPunctuation(char c) {
        return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
    }

    private int pieceId(String s, int from, int to) {
        int h = 0x811C9DC5;
        for (int k = from; k < to; k++) {
            h = (h ^ s.charAt(k)) * 0x01000193;
        }
        return Integer.remainderUnsigned(h, ordinaryIds);
    }

    private static String pseudoWord(int tokenId) {
        String consonants = "bdfgklmnprstvz";
        String vowels = "aeiou";
        StringBuilder sb = new StringBuilder(" ");
        int x = tokenId + 1;
        while (x > 0) {
            sb.append(consonants.charAt(x % consonants.length()));
            x /= consonants.length();
            sb.append(vowels.charAt(x % vowels.length()));
            x /= vowels.length();
        }
        return sb.toString();
    }

    private static int[] concat(int[]... parts) {
        int total = 0;
        for (int[] p : parts) total += p.length;
        int[] out = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * {@code n} distinct random prompts of exactly {@code inputTokens} of this tokenizer's tokens each (a five-letter
     * word with its leading space is one token), reproducible for a {@code seed}; each asks for {@code outputTokens}.
     */
    public static List<Prompt> randomPrompts(int n, int inputTokens, int outputTokens, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Prompt> prompts = new ArrayList<>(n);
        StringBuilder sb = new StringBuilder(inputTokens * 6);
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            for (int t = 0; t < inputTokens; t++) {
                sb.append(' ');
                for (int c = 0; c < 5; c++) sb.append((char) ('a' + rnd.nextInt(26)));
            }
            prompts.add(new Prompt(null, sb.toString(), inputTokens, outputTokens));
        }
        return prompts;
    }
}
