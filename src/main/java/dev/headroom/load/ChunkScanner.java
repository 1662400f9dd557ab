package dev.headroom.load;

/**
 * The allocation-free fast path of {@link ChunkReader}: one strict pass over the bytes of an ordinary token chunk
 * (top-level {@code choices}, the first choice's {@code text} or {@code delta.content}, any choice's
 * {@code finish_reason}, the send stamp), with no
 * tree, no strings and no copies. It vouches only for input it fully understands: well-formed JSON (strict
 * grammar, valid UTF-8, no escaped keys) without {@code usage}, {@code metrics}, {@code timings}, {@code error} or {@code "object":"error"}; for
 * anything else it answers false and the caller parses with Jackson, so the two never disagree.
 */
final class ChunkScanner {

    private static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER_CHARS = 100;
    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] FINISH_REASON = ascii("finish_reason");
    private static final byte[] OBJECT = ascii("object");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] METRICS = ascii("metrics");
    private static final byte[] TIMINGS = ascii("timings");
    private static final byte[] SENT_NANOS = ascii(ChunkReader.SENT_NANOS_FIELD);

    /** Thrown on anything the fast path does not vouch for; preallocated, no stack trace. */
    private static final RuntimeException GIVE_UP = new RuntimeException("not a plain token chunk", null, false, false) {};

    private byte[] b;
    private int pos;
    private int end;
    private int keyStart;
    private int keyEnd;
    private int stringLength;

    /** Scans {@code length} bytes from {@code offset} into {@code out}; false when only a full parse can decide. */
    boolean scan(byte[] buffer, int offset, int length, ChunkReader out) {
        b = buffer;
        pos = offset;
        end = offset + length;
        try {
            skipWhitespace();
            expect('{');
            if (!endOf('}')) {
                do topLevelMember(out);
                while (nextMember('}'));
            }
            skipWhitespace();
            return pos == end;
        } catch (RuntimeException giveUp) {
            return false;
        } finally {
            b = null;
        }
    }

    private void topLevelMember(ChunkReader out) {
        key();
        if (isKey(CHOICES)) {
            choices(out);
        } else if (isKey(SENT_NANOS)) {
            out.serverSentNanos = longValue();
        } else if (isKey(USAGE) || isKey(ERROR) || isKey(METRICS) || isKey(TIMINGS)) {
            // Rare (once per request, or a failure): a null changes nothing, anything else takes the full parse.
            literal("null");
        } else if (isKey(OBJECT) && peek() == '"') {
            if (string() || stringEquals(ERROR)) throw GIVE_UP;
        } else {
            skipValue(1);
        }
    }

    private void choices(ChunkReader out) {
        if (peek() != '[') {
            skipValue(1);
            return;
        }
        pos++;
        if (endOf(']')) return;
        out.tokenBearing = true;
        if (peek() == '{') choice(out);
        else skipValue(2);
        while (nextMember(']')) {
            // Only the first choice's text counts; any choice's finish_reason does.
            if (peek() == '{') laterChoice(out);
            else skipValue(2);
        }
    }

    private void choice(ChunkReader out) {
        pos++;
        if (endOf('}')) return;
        do {
            key();
            if (isKey(TEXT) && peek() == '"') {
                out.hasContent |= nonEmptyString();
            } else if (isKey(DELTA) && peek() == '{') {
                delta(out);
            } else {
                finishReasonOrSkip(out);
            }
        } while (nextMember('}'));
    }

    private void laterChoice(ChunkReader out) {
        pos++;
        if (endOf('}')) return;
        do {
            key();
            finishReasonOrSkip(out);
        } while (nextMember('}'));
    }

    private void finishReasonOrSkip(ChunkReader out) {
        if (isKey(FINISH_REASON) && peek() == '"') {
            string();
            out.finishReason = true;
        } else {
            skipValue(3);
        }
    }

    private void delta(ChunkReader out) {
        pos++;
        if (endOf('}')) return;
        do {
            key();
            if (isKey(CONTENT) && peek() == '"') out.hasContent |= nonEmptyString();
            else skipValue(4);
        } while (nextMember('}'));
    }

    private boolean nonEmptyString() {
        string();
        return stringLength > 0;
    }

    /** Reads {@code "key" :}; keys with escapes give up (they would need decoding to compare). */
    private void key() {
        skipWhitespace();
        if (peek() != '"') throw GIVE_UP;
        int start = pos + 1;
        if (string()) throw GIVE_UP;
        keyStart = start;
        keyEnd = pos - 1;
        skipWhitespace();
        expect(':');
        skipWhitespace();
    }

    private boolean isKey(byte[] name) {
        return java.util.Arrays.equals(b, keyStart, keyEnd, name, 0, name.length);
    }

    private boolean stringEquals(byte[] text) {
        return stringLength == text.length && java.util.Arrays.equals(b, pos - 1 - text.length, pos - 1, text, 0, text.length);
    }

    /** After a member: true on a comma (another member follows), false on {@code close}. */
    private boolean nextMember(char close) {
        skipWhitespace();
        byte c = next();
        if (c == ',') {
            skipWhitespace();
            return true;
        }
        if (c != close) throw GIVE_UP;
        return false;
    }

    /** True (and consumed) when the container ends right here, i.e. it is empty. */
    private boolean endOf(char close) {
        skipWhitespace();
        if (peek() != close) return false;
        pos++;
        return true;
    }

    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) throw GIVE_UP;
        byte c = peek();
        switch (c) {
            case '"' -> string();
            case '{' -> {
                pos++;
                if (endOf('}')) return;
                do {
                    key();
                    skipValue(depth + 1);
                } while (nextMember('}'));
            }
            case '[' -> {
                pos++;
                if (endOf(']')) return;
                do skipValue(depth + 1);
                while (nextMember(']'));
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) throw GIVE_UP;
        }
        if (pos < end && Character.isLetterOrDigit(b[pos])) throw GIVE_UP;
    }

    /** An integer that fits a long, as the send stamp is; anything else gives up. */
    private long longValue() {
        int start = pos;
        number();
        if (pos - start > 18) throw GIVE_UP;
        long value = 0;
        int i = start;
        boolean negative = b[i] == '-';
        if (negative) i++;
        for (; i < pos; i++) {
            if (b[i] < '0' || b[i] > '9') throw GIVE_UP;
            value = value * 10 + (b[i] - '0');
        }
        return negative ? -value : value;
    }

    /** JSON number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() {
        int start = pos;
        if (peekOrZero() == '-') pos++;
        if (peekOrZero() == '0') pos++;
        else if (digits() == 0) throw GIVE_UP;
        if (peekOrZero() == '.') {
            pos++;
            if (digits() == 0) throw GIVE_UP;
        }
        if (peekOrZero() == 'e' || peekOrZero() == 'E') {
            pos++;
            if (peekOrZero() == '+' || peekOrZero() == '-') pos++;
            if (digits() == 0) throw GIVE_UP;
        }
        byte after = peekOrZero();
        if (pos - start > MAX_NUMBER_CHARS || after >= '0' && after <= '9' || after == '.' || Character.isLetter(after)) throw GIVE_UP;
    }

    private int digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') pos++;
        return pos - start;
    }

    /**
     * Skips a string from its opening quote; sets {@link #stringLength} to its raw byte length (0 only when empty)
     * and returns true when it held escapes. Gives up on control characters, bad escapes and malformed UTF-8.
     */
    private boolean string() {
        int start = ++pos;
        boolean escaped = false;
        while (true) {
            byte c = next();
            if (c == '"') break;
            if (c == '\\') {
                escaped = true;
                escape();
            } else if (c < 0) {
                utf8(c);
            } else if (c < 0x20) {
                throw GIVE_UP;
            }
        }
        stringLength = pos - 1 - start;
        return escaped;
    }

    private void escape() {
        byte c = next();
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
            case 'u' -> {
                for (int i = 0; i < 4; i++) {
                    if (Character.digit(next(), 16) < 0) throw GIVE_UP;
                }
            }
            default -> throw GIVE_UP;
        }
    }

    /** Well-formed UTF-8 only (no overlongs, no surrogates, at most U+10FFFF); the lead byte is already read. */
    private void utf8(byte lead) {
        int l = lead & 0xff;
        int more;
        int min;
        if (l >= 0xc2 && l <= 0xdf) {
            more = 1;
            min = 0x80;
        } else if (l >= 0xe0 && l <= 0xef) {
            more = 2;
            min = 0x800;
        } else if (l >= 0xf0 && l <= 0xf4) {
            more = 3;
            min = 0x10000;
        } else {
            throw GIVE_UP;
        }
        int code = l & (0x3f >> more);
        for (int i = 0; i < more; i++) {
            byte c = next();
            if ((c & 0xc0) != 0x80) throw GIVE_UP;
            code = code << 6 | c & 0x3f;
        }
        if (code < min || code > 0x10ffff || code >= 0xd800 && code <= 0xdfff) throw GIVE_UP;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) throw GIVE_UP;
    }

    private byte next() {
        if (pos >= end) throw GIVE_UP;
        return b[pos++];
    }

    private byte peek() {
        if (pos >= end) throw GIVE_UP;
        return b[pos];
    }

    private byte peekOrZero() {
        return pos < end ? b[pos] : 0;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
