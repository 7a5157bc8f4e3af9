package org.jlguest.launcher.e2e;

import java.util.HashMap;
import java.util.Map;

/**
 * One reading of {@code /metrics}: every sample line of the Prometheus text format, keyed by the
 * series as written ({@code name} or {@code name{label="value",...}}), at {@code seconds} since
 * the first reading.
 */
record Scrape(double seconds, Map<String, Double> series) {

    static Scrape parse(double seconds, String body) {
        Map<String, Double> series = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(seconds, Map.copyOf(series));
    }

    double value(String name) {
        Double v = series.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no series " + name + " in the scrape");
        }
        return v;
    }
}
