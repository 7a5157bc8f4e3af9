package org.jlguest.launcher.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * A small multi-panel line chart drawn with Java2D: panels stacked over one shared time axis,
 * each with its own y scale from zero, its lines and a legend.
 */
final class Chart {
    /** One line: what it is called, its colour, and its value at scrape i of the list. */
    record Line(String label, Color color, ToDoubleBiFunction<List<Scrape>, Integer> value) { }

    /** One panel: a title, the unit of its y axis, and its lines. */
    record Panel(String title, String unit, List<Line> lines) { }

    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 190;
    private static final int TOP = 74;
    private static final int BOTTOM = 58;
    private static final int LEFT = 80;
    private static final int RIGHT = 24;
    private static final int GAP = 34;
    private static final Color GRID = new Color(0xE3E6EA);
    private static final Color TEXT = new Color(0x24292F);
    private static final Color BACKGROUND = Color.WHITE;

    private Chart() {
    }

    /** Draws {@code panels} over {@code scrapes} (from index 1: lines may be rates against the previous scrape). */
    static BufferedImage render(String title, String caption, List<Panel> panels, List<Scrape> scrapes) {
        int height = TOP + panels.size() * PANEL_HEIGHT + (panels.size() - 1) * GAP + BOTTOM;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, 30);
        double seconds = scrapes.get(scrapes.size() - 1).seconds();
        for (int p = 0; p < panels.size(); p++) {
            int top = TOP + p * (PANEL_HEIGHT + GAP);
            drawPanel(g, panels.get(p), scrapes, top, seconds, p == panels.size() - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0x57606A));
        g.drawString(caption, LEFT, height - 12);
        g.dispose();
        return image;
    }

    private static void drawPanel(Graphics2D g, Panel panel, List<Scrape> scrapes, int top, double seconds,
                                  boolean timeLabels) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        int bottom = top + PANEL_HEIGHT;
        double max = 0;
        for (Line line : panel.lines()) {
            for (int i = 1; i < scrapes.size(); i++) {
                max = Math.max(max, line.value().applyAsDouble(scrapes, i));
            }
        }
        double step = niceStep(max / 4);
        double yMax = Math.max(step, Math.ceil(max / step) * step);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(TEXT);
        g.drawString(panel.title(), LEFT, top - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (double y = 0; y <= yMax + step / 2; y += step) {
            int py = bottom - (int) Math.round(y / yMax * PANEL_HEIGHT);
            g.setColor(GRID);
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
            g.setColor(TEXT);
            String label = format(y);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 4);
        }
        g.setColor(TEXT);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(panel.unit(), -(top + PANEL_HEIGHT / 2 + fm.stringWidth(panel.unit()) / 2), 16);
        rotated.dispose();
        double tick = niceStep(seconds / 8);
        for (double t = 0; t <= seconds + 1e-9; t += tick) {
            int px = LEFT + (int) Math.round(t / seconds * plotWidth);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            if (timeLabels) {
                g.setColor(TEXT);
                String label = format(t) + " s";
                g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 16);
            }
        }
        g.setColor(new Color(0x8C959F));
        g.drawRect(LEFT, top, plotWidth, PANEL_HEIGHT);

        int legendX = LEFT + plotWidth;
        for (int l = panel.lines().size() - 1; l >= 0; l--) {
            Line line = panel.lines().get(l);
            Path2D path = new Path2D.Double();
            for (int i = 1; i < scrapes.size(); i++) {
                double x = LEFT + scrapes.get(i).seconds() / seconds * plotWidth;
                double y = bottom - line.value().applyAsDouble(scrapes, i) / yMax * PANEL_HEIGHT;
                if (i == 1) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.setColor(line.color());
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            g.setStroke(new BasicStroke(1f));
            legendX -= fm.stringWidth(line.label()) + 30;
            g.fillRect(legendX, top - 17, 14, 4);
            g.setColor(TEXT);
            g.drawString(line.label(), legendX + 18, top - 11);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(Math.round(v * 10) / 10.0);
    }
}
