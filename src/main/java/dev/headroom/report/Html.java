package dev.headroom.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link Doc} as one self-contained HTML page: CSS inline, every chart's SVG inline, no scripts and no
 * network, readable on screen and in print (A4: a table takes the page width, its columns sized by their content so
 * words break only where they must; table rows and charts are not split across pages; a page break starts a new page). A contents list links every second-level heading.
 */
public final class Html {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final int BREAK_EVERY = 24;
    /** A run of text without a break opportunity long enough to widen a table column: no space, tag or entity in it. */
    private static final Pattern LONG_RUN = Pattern.compile("[^\\s<>&;]{" + (BREAK_EVERY + 1) + ",}");
    private static final String CSS = """
            body{font:15px/1.5 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#222;\
            max-width:980px;margin:2em auto;padding:0 1.2em}
            h1{font-size:1.9em;border-bottom:3px solid #0072B2;padding-bottom:.2em}
            h2{font-size:1.4em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.15em}
            h3{font-size:1.15em;margin-top:1.4em}
            .wide{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
            th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}
            td{min-width:3em}
            .banner{background:#fff4e5;border-left:5px solid #E69F00;padding:.6em .9em;font-weight:600}
            details{margin:.4em 0 1em}details pre{white-space:pre-wrap}summary{cursor:pointer;color:#555}
            hr.page{border:0;border-top:2px dashed #ccc;margin:2.5em 0;break-after:page}
            th{background:#eef4fa}tr:nth-child(even) td{background:#fafafa}
            code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f3f3f3;padding:0 .2em;font-size:.92em;\
            overflow-wrap:anywhere}
            pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:.8em;white-space:pre-wrap;overflow-wrap:anywhere}\
            pre code{background:none;padding:0}
            figure{margin:1.2em 0;break-inside:avoid}figure svg{width:100%;max-width:100%;height:auto;display:block}
            figcaption{color:#555;font-size:.9em;margin-top:.3em}
            nav{background:#f6f8fa;border:1px solid #e1e4e8;padding:.5em 1em;margin:1em 0}nav ul{margin:.3em 0}
            @page{size:A4;margin:12mm}
            @media print{body{max-width:none;margin:0;padding:0;font-size:13px}nav{display:none}h2,h3{break-after:avoid}\
            pre{break-inside:avoid}.wide{overflow:visible}table{width:100%;font-size:.85em}th,td{padding:.25em .35em;hyphens:auto}\
            td{min-width:0}thead{display:table-header-group}\
            tr,figure,.banner{break-inside:avoid}hr.page{border:0;margin:0;break-after:page}details{display:block}\
            .banner,th,tr:nth-child(even) td{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
            """;

    private Html() {}

    /** The page; figures are read from {@code chartDir} as {@code <stem>.svg}. */
    public static String render(Doc doc, Path chartDir) throws IOException {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(doc.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(doc.title())).append("</h1>\n");
        // A banner opening the document is read before the contents, not after them.
        List<Doc.Block> blocks = doc.blocks();
        int first = 0;
        while (first < blocks.size() && blocks.get(first) instanceof Doc.Banner n) {
            out.append("<p class=\"banner\">").append(inline(n.text())).append("</p>\n");
            first++;
        }
        contents(out, blocks);
        int section = 0;
        for (Doc.Block b : blocks.subList(first, blocks.size())) {
            switch (b) {
                case Doc.Heading h -> {
                    String id = h.level() == 2 ? " id=\"s" + (++section) + "\"" : "";
                    out.append("<h").append(h.level()).append(id).append('>').append(inline(h.text()))
                            .append("</h").append(h.level()).append(">\n");
                }
                case Doc.Para p -> out.append("<p>").append(inline(p.text())).append("</p>\n");
                case Doc.Table t -> table(out, t);
                case Doc.Figure f -> out.append("<figure>\n").append(svg(chartDir.resolve(f.stem() + ".svg")))
                        .append("\n<figcaption>").append(inline(f.caption())).append("</figcaption>\n</figure>\n");
                case Doc.Code c -> out.append("<pre><code>").append(escape(c.text().strip())).append("</code></pre>\n");
                case Doc.Items i -> items(out, i);
                case Doc.Details d -> out.append("<details><summary>").append(inline(d.summary()))
                        .append("</summary>\n<pre>").append(escape(d.original().strip())).append("</pre></details>\n");
                case Doc.Banner n -> out.append("<p class=\"banner\">").append(inline(n.text())).append("</p>\n");
                case Doc.PageBreak p -> out.append("<hr class=\"page\">\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private static void contents(StringBuilder out, List<Doc.Block> blocks) {
        out.append("<nav><strong>Contents</strong><ul>\n");
        int n = 0;
        for (Doc.Block b : blocks) {
            if (b instanceof Doc.Heading h && h.level() == 2) {
                out.append("<li><a href=\"#s").append(++n).append("\">").append(inline(h.text())).append("</a></li>\n");
            }
        }
        out.append("</ul></nav>\n");
    }

    private static void table(StringBuilder out, Doc.Table t) {
        out.append("<div class=\"wide\"><table>\n<thead><tr>");
        t.header().forEach(h -> out.append("<th>").append(inline(h)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            out.append("<tr>");
            row.forEach(c -> out.append("<td>").append(breakable(inline(c))).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    /**
     * Cell HTML with a {@code <wbr>} every {@value #BREAK_EVERY} characters of a longer unbroken run (a path, a hash, an
     * identifier): the column may wrap it, so the table fits the page, while words of ordinary length stay whole.
     */
    static String breakable(String html) {
        return LONG_RUN.matcher(html).replaceAll(m -> {
            String run = m.group();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < run.length(); i += BREAK_EVERY) {
                if (i > 0) out.append("<wbr>");
                out.append(run, i, Math.min(run.length(), i + BREAK_EVERY));
            }
            return Matcher.quoteReplacement(out.toString());
        });
    }

    private static void items(StringBuilder out, Doc.Items i) {
        String tag = i.numbered() ? "ol" : "ul";
        out.append('<').append(tag).append(">\n");
        i.items().forEach(item -> out.append("<li>").append(inline(item)).append("</li>\n"));
        out.append("</").append(tag).append(">\n");
    }

    /** The SVG element of a chart file, without its XML prolog. */
    private static String svg(Path file) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("<svg");
        return start < 0 ? "" : text.substring(start).strip();
    }

    /** Escapes HTML, then turns {@code `code`} and {@code **bold**} into elements. */
    static String inline(String text) {
        Matcher code = CODE.matcher(escape(text));
        StringBuilder out = new StringBuilder();
        while (code.find()) code.appendReplacement(out, Matcher.quoteReplacement("<code>" + code.group(1) + "</code>"));
        code.appendTail(out);
        return BOLD.matcher(out.toString()).replaceAll("<strong>$1</strong>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
