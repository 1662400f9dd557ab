package dev.headroom.sweep;

import java.util.ArrayList;
import java.util.List;

/** Splits a command template into words as a POSIX shell does for plain words and quotes, nothing more. */
final class ShellWords {

    private ShellWords() {}

    /**
     * Words of {@code text}: whitespace separates, {@code '...'} is literal, {@code "..."} groups (with {@code \"}
     * and {@code \\}), a backslash outside quotes escapes the next character.
     *
     * @param option the option that gave the text, for the one-line error
     */
    static List<String> split(String option, String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else word.append(c);
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) throw new IllegalArgumentException(option + ": unbalanced " + quote + " in '" + text + "'");
        if (inWord) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException(option + ": empty command");
        return words;
    }
}
