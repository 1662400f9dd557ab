package dev.headroom.server;

/** A test tokenizer: one token per UTF-16 char, the id being the char. */
final class CharTokenizer implements Tokenizer {

    @Override
    public int[] encode(String text) {
        return text.chars().toArray();
    }

    @Override
    public String decode(int tokenId) {
        return String.valueOf((char) tokenId);
    }
}
