package dev.headroom.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The text a chart's SVG draws, as boxes in image pixels: each {@code <text>}'s baseline, font (family, size and
 * weight from its style) and width from the JDK's font metrics, moved by the transforms of the groups around it,
 * with the box of its clip path (JFreeChart clips plot text to the data area, so text outside it is cut off).
 */
public record SvgText(String text, Rectangle2D box, Rectangle2D clip) {

    private static final Pattern SIZE = Pattern.compile("font-size:\\s*([\\d.]+)px");
    private static final Pattern NUMBER = Pattern.compile("-?[\\d.]+(?:E-?\\d+)?");

    /** The image's width and height in CSS pixels, and its text. */
    record Chart(double width, double height, List<SvgText> texts) {}

    static Chart read(Path svg) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        Element root = doc.getDocumentElement();
        double width = Double.parseDouble(root.getAttribute("width").replace("px", ""));
        double height = Double.parseDouble(root.getAttribute("height").replace("px", ""));
        Map<String, Rectangle2D> clips = new HashMap<>();
        NodeList paths = doc.getElementsByTagName("clipPath");
        for (int i = 0; i < paths.getLength(); i++) {
            Element c = (Element) paths.item(i);
            Element shape = (Element) c.getElementsByTagName("*").item(0);
            if (shape != null) clips.put(c.getAttribute("id"), bounds(shape));
        }
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        List<SvgText> out = new ArrayList<>();
        NodeList texts = doc.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            String s = t.getTextContent();
            if (s.isBlank()) continue;
            String style = t.getAttribute("style");
            Matcher size = SIZE.matcher(style);
            Font font = new Font(Font.SANS_SERIF, style.contains("bold") ? Font.BOLD : Font.PLAIN,
                    size.find() ? Math.round(Float.parseFloat(size.group(1))) : 12);
            FontMetrics fm = g.getFontMetrics(font);
            double x = Double.parseDouble(t.getAttribute("x"));
            double y = Double.parseDouble(t.getAttribute("y"));
            Rectangle2D local = new Rectangle2D.Double(x, y - fm.getAscent(), fm.stringWidth(s), fm.getAscent() + fm.getDescent());
            AffineTransform at = transformOf(t);
            Rectangle2D clip = clipOf(t, clips);
            out.add(new SvgText(s, at.createTransformedShape(local).getBounds2D(),
                    clip == null ? null : at.createTransformedShape(clip).getBounds2D()));
        }
        g.dispose();
        return new Chart(width, height, out);
    }

    private static AffineTransform transformOf(Element t) {
        AffineTransform at = new AffineTransform();
        for (Node n = t; n instanceof Element e; n = n.getParentNode()) {
            String m = e.getAttribute("transform");
            if (!m.startsWith("matrix(")) continue;
            String[] v = m.substring(7, m.length() - 1).split(",");
            double[] d = new double[6];
            for (int k = 0; k < 6; k++) d[k] = Double.parseDouble(v[k].trim());
            at.preConcatenate(new AffineTransform(d));
        }
        return at;
    }

    private static Rectangle2D clipOf(Element t, Map<String, Rectangle2D> clips) {
        for (Node n = t; n instanceof Element e; n = n.getParentNode()) {
            String ref = e.getAttribute("clip-path");
            if (ref.startsWith("url(#")) return clips.get(ref.substring(5, ref.length() - 1));
        }
        return null;
    }

    /** The bounding box of a clip shape: a path's coordinates, or a rect's. */
    private static Rectangle2D bounds(Element shape) {
        if (shape.getTagName().equals("rect")) {
            return new Rectangle2D.Double(num(shape, "x"), num(shape, "y"), num(shape, "width"), num(shape, "height"));
        }
        Matcher m = NUMBER.matcher(shape.getAttribute("d"));
        List<Double> v = new ArrayList<>();
        while (m.find()) v.add(Double.parseDouble(m.group()));
        Rectangle2D r = null;
        for (int k = 0; k + 1 < v.size(); k += 2) {
            if (r == null) r = new Rectangle2D.Double(v.get(k), v.get(k + 1), 0, 0);
            else r.add(v.get(k), v.get(k + 1));
        }
        return r;
    }

    private static double num(Element e, String attribute) {
        String v = e.getAttribute(attribute);
        return v.isEmpty() ? 0 : Double.parseDouble(v);
    }

    /** Overlapping boxes, text outside the image, and text cut by its clip (a label beyond the data area). */
    public static List<String> problems(Path svg) throws Exception {
        SvgText.Chart chart = SvgText.read(svg);
        Rectangle2D image = new Rectangle2D.Double(0, 0, chart.width(), chart.height());
        List<String> out = new ArrayList<>();
        String name = svg.getFileName().toString();
        List<SvgText> texts = chart.texts();
        for (int i = 0; i < texts.size(); i++) {
            SvgText a = texts.get(i);
            if (!contains(image, a.box())) out.add(name + ": \"" + a.text() + "\" leaves the image at " + at(a));
            else if (a.clip() != null && !contains(a.clip(), a.box())) out.add(name + ": \"" + a.text() + "\" is clipped");
            for (SvgText b : texts.subList(i + 1, texts.size())) {
                if (shrunk(a.box()).intersects(shrunk(b.box()))) {
                    out.add(name + ": \"" + a.text() + "\" at " + at(a) + " overlaps \"" + b.text() + "\" at " + at(b));
                }
            }
        }
        return out;
    }

    private static String at(SvgText t) {
        Rectangle2D r = t.box();
        return String.format(java.util.Locale.ROOT, "(%.0f,%.0f %.0fx%.0f)", r.getX(), r.getY(), r.getWidth(), r.getHeight());
    }

    // One pixel of slack: font metrics of the test's JDK and the renderer's differ by a fraction of a pixel.
    private static boolean contains(Rectangle2D outer, Rectangle2D box) {
        return outer.getMinX() - 1 <= box.getMinX() && box.getMaxX() <= outer.getMaxX() + 1
                && outer.getMinY() - 1 <= box.getMinY() && box.getMaxY() <= outer.getMaxY() + 1;
    }

    private static Rectangle2D shrunk(Rectangle2D r) {
        return new Rectangle2D.Double(r.getX() + 1, r.getY() + 1, Math.max(0, r.getWidth() - 2), Math.max(0, r.getHeight() - 2));
    }
}
