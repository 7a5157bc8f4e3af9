package org.jlguest.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart of docs/images/metrics.png, drawn from made-up scrapes: it draws, and its scales are round. */
class ChartTest {
    @Test
    void scrapesAreParsedAndDrawnAsRates() {
        List<Scrape> scrapes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = String.join("\n",
                    "# HELP jlguest_guest_mips Millions of Guest instructions per second",
                    "jlguest_guest_mips " + (i < 10 ? 80.5 : 3.0),
                    "jlguest_device_requests_total{device=\"vda\",type=\"block\"} " + i * 100.0,
                    "jlguest_device_requests_total{device=\"rng\",type=\"rng\"} " + i * 10.0,
                    "jlguest_launcher_exits_total{reason=\"mmio\"} " + i * 50.0,
                    "jlguest_launcher_exits_total{reason=\"port_io\"} " + 7.0,
                    "jlguest_host_interrupts_delivered_total " + i * 2.0);
            scrapes.add(Scrape.parse(i * 0.5, body));
        }
        assertEquals(80.5, scrapes.get(3).value("jlguest_guest_mips"));
        assertEquals(200.0, MetricsChart.rate(scrapes, 5, "jlguest_device_requests_total{device=\"vda\",type=\"block\"}"));
        BufferedImage image = Chart.render("title", "caption", MetricsChart.panels(), scrapes);
        assertEquals(960, image.getWidth());
        assertTrue(pixels(image, 0x0969DA) > 500, "the MIPS line is missing");
        assertTrue(pixels(image, 0xCF222E) > 500, "the vda line is missing");
        assertEquals(Map.of("a", 1.0), Scrape.parse(0, "a 1\n").series());
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void gridStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(20, Chart.niceStep(13));
        assertEquals(0.5, Chart.niceStep(0.31), 1e-12);
        assertEquals(1000, Chart.niceStep(1000));
        assertEquals(1, Chart.niceStep(0));
    }
}
