package dev.headroom.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option list of every verb's {@code --help}, wrapped at spaces only. Picocli's own table breaks lines with the
 * JDK's line BreakIterator, which splits {@code e.g.}, {@code 3.1} and {@code http://} in the middle.
 */
final class HelpLayout {

    static final int WIDTH = 80;
    private static final int DESCRIPTION_COLUMN = 29;

    private HelpLayout() {}

    /** Renders the option list of {@code cli} and of all its subcommands with {@link #optionList}. */
    static void install(CommandLine cli) {
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> optionList(help.commandSpec()));
        cli.getSubcommands().values().forEach(HelpLayout::install);
    }

    static String optionList(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
        options.sort(Comparator.comparing(HelpLayout::sortKey));
        StringBuilder out = new StringBuilder();
        for (OptionSpec o : options) {
            // Short names first, as picocli lists them ("-q, --quantization"); long-only options line up after them.
            List<String> sorted = java.util.Arrays.stream(o.names()).sorted(Comparator.comparingInt(String::length)).toList();
            String names = "  " + (sorted.getFirst().startsWith("--") ? "    " : "") + String.join(", ", sorted)
                    + (o.arity().max() > 0 ? "=" + o.paramLabel() : "");
            List<String> lines = wrap(String.join(" ", o.description()), WIDTH - DESCRIPTION_COLUMN);
            if (names.length() < DESCRIPTION_COLUMN - 1 && !lines.isEmpty()) {
                out.append(pad(names)).append(lines.getFirst()).append('\n');
                lines = lines.subList(1, lines.size());
            } else {
                out.append(names).append('\n');
            }
            for (String line : lines) out.append(" ".repeat(DESCRIPTION_COLUMN)).append(line).append('\n');
        }
        return out.toString();
    }

    private static String sortKey(OptionSpec o) {
        return o.shortestName().replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String pad(String names) {
        return names + " ".repeat(DESCRIPTION_COLUMN - names.length());
    }

    /** Greedy word wrap at spaces; a word longer than the width gets a line of its own. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) continue;
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }
}
