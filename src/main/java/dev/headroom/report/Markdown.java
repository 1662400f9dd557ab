package dev.headroom.report;

import java.util.List;

/** Renders a {@link Doc} as GitHub-flavoured Markdown; figures link their PNGs beside the file. */
public final class Markdown {

    private Markdown() {}

    public static String render(Doc doc) {
        StringBuilder out = new StringBuilder("# ").append(doc.title()).append("\n\n");
        for (Doc.Block b : doc.blocks()) {
            switch (b) {
                case Doc.Heading h -> out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                case Doc.Para p -> out.append(p.text()).append("\n\n");
                case Doc.Table t -> table(out, t);
                case Doc.Figure f -> out.append("![").append(f.caption()).append("](").append(f.stem()).append(".png)\n\n*")
                        .append(f.caption()).append("* ([SVG](").append(f.stem()).append(".svg))\n\n");
                case Doc.Code c -> out.append("```").append(c.language()).append('\n').append(c.text().strip()).append("\n```\n\n");
                case Doc.Items i -> items(out, i);
                case Doc.Details d -> {
                    out.append("> ").append(d.summary()).append(":\n>\n");
                    d.original().strip().lines().forEach(l -> out.append(">     ").append(l).append('\n'));
                    out.append('\n');
                }
                case Doc.Banner n -> out.append("> **").append(n.text()).append("**\n\n");
                case Doc.PageBreak p -> out.append("---\n\n");
            }
        }
        return out.toString().strip() + "\n";
    }

    private static void table(StringBuilder out, Doc.Table t) {
        row(out, t.header());
        out.append('|').append("---|".repeat(t.header().size())).append('\n');
        t.rows().forEach(r -> row(out, r));
        out.append('\n');
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String c : cells) out.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        out.append('\n');
    }

    private static void items(StringBuilder out, Doc.Items i) {
        for (int n = 0; n < i.items().size(); n++) {
            out.append(i.numbered() ? (n + 1) + ". " : "- ").append(i.items().get(n)).append('\n');
        }
        out.append('\n');
    }
}
