package dev.headroom.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A document as a list of blocks, rendered to Markdown ({@link Markdown}) and to one self-contained HTML page
 * ({@link Html}). Inline text may use {@code **bold**} and {@code `code`}.
 */
public final class Doc {

    /** A block of a document. */
    public sealed interface Block permits Heading, Para, Table, Figure, Code, Items, Details, Banner, PageBreak {}

    public record Heading(int level, String text) implements Block {}

    public record Para(String text) implements Block {}

    public record Table(List<String> header, List<List<String>> rows) implements Block {}

    /** A chart written as {@code stem.png} and {@code stem.svg} beside the document. */
    public record Figure(String stem, String caption) implements Block {}

    public record Code(String language, String text) implements Block {}

    public record Items(List<String> items, boolean numbered) implements Block {}

    /**
     * Text kept as the server wrote it (a vLLM start-up error), folded away under {@code summary}: the text around it
     * has already said the same in plain words.
     */
    public record Details(String summary, String original) implements Block {}

    /** A notice the reader must not miss, such as "no number here was measured on a GPU". */
    public record Banner(String text) implements Block {}

    /** What follows starts a new page in print (quiz answers apart from their questions). */
    public record PageBreak() implements Block {}

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Doc(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public Doc h2(String text) {
        return add(new Heading(2, text));
    }

    public Doc h3(String text) {
        return add(new Heading(3, text));
    }

    public Doc p(String text) {
        return add(new Para(text));
    }

    public Doc table(List<String> header, List<List<String>> rows) {
        return add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
    }

    public Doc figure(ChartFiles.Written chart) {
        return add(new Figure(chart.stem(), chart.caption()));
    }

    public Doc code(String language, String text) {
        return add(new Code(language, text));
    }

    public Doc bullets(List<String> items) {
        return add(new Items(List.copyOf(items), false));
    }

    public Doc numbered(List<String> items) {
        return add(new Items(List.copyOf(items), true));
    }

    public Doc details(String summary, String original) {
        return add(new Details(summary, original));
    }

    public Doc banner(String text) {
        return add(new Banner(text));
    }

    public Doc pageBreak() {
        return add(new PageBreak());
    }

    public Doc add(Block b) {
        blocks.add(b);
        return this;
    }
}
