package dev.headroom.selftest;

import dev.headroom.report.Browser;
import dev.headroom.report.LayoutCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code headroom selftest layout DIR}: the {@link LayoutCheck} of every HTML page under DIR (the demo's
 * {@code report/report.html} and {@code playbook/playbook.html}), each problem printed with its page and element.
 */
public final class Layout {

    private Layout() {}

    /** The pages checked and the problems found; passed when there were pages and no problem. */
    public record Result(List<Path> pages, List<LayoutCheck.Problem> problems) {
        public boolean passed() {
            return !pages.isEmpty() && problems.isEmpty();
        }
    }

    /** The HTML pages under {@code dir}, at most three folders down, in path order. */
    public static List<Path> pages(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".html") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    /** Checks every page under {@code dir} with {@code browser}, printing one line per page and per problem. */
    public static Result run(PrintWriter out, Browser browser, Path dir) throws IOException {
        List<Path> pages = pages(dir);
        out.println("Layout check (" + LayoutCheck.Media.SCREEN.describe() + ", " + LayoutCheck.Media.PRINT.describe()
                + ") in " + browser.engine() + ": " + pages.size()
                + " page" + (pages.size() == 1 ? "" : "s") + " under " + dir);
        List<LayoutCheck.Problem> all = new ArrayList<>();
        for (Path page : pages) {
            List<LayoutCheck.Problem> problems = LayoutCheck.check(browser, page);
            out.println("  " + dir.relativize(page) + ": " + (problems.isEmpty() ? "ok" : problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s")));
            problems.forEach(p -> out.println("    " + p.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + p.line()));
            all.addAll(problems);
        }
        if (pages.isEmpty()) out.println("  no .html page under " + dir + ": nothing was checked");
        return new Result(pages, all);
    }
}
