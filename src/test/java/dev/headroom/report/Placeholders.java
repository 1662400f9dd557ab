package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** What a finished document must never hold: template placeholders or numbers that failed to format. */
final class Placeholders {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\[X\\]|\\bTBD\\b|\\bTODO\\b|\\bNaN\\b|\\bnull\\b|\\bInfinity\\b|\\bundefined\\b|\\[[A-Z]\\]|\\[(?:N|VALUE|NUMBER|TBD)\\]|\\{\\{|XX+");

    private Placeholders() {}

    static void assertNone(String document) {
        assertThat(FORBIDDEN.matcher(document).results().map(m -> context(document, m.start())).toList())
                .as("placeholders in the document").isEmpty();
    }

    private static String context(String doc, int at) {
        return doc.substring(Math.max(0, at - 40), Math.min(doc.length(), at + 40)).replace('\n', ' ');
    }
}
