package io.billing.admin;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.util.List;

/**
 * The configuration of a PrimeFaces chart ({@code <p:chart value="…">}, Chart.js underneath): bars stacked per
 * hour, with both axes titled and a legend. PrimeFaces writes it into the page's nonce-carrying script, so it is
 * data only, never a function, and the pages keep their Content-Security-Policy.
 */
final class ChartConfig {

    /** One stack of the bars: its legend, its colour and a value per label. */
    record Series(String label, String colour, List<Long> values) {
    }

    private static final JsonProvider JSON = JsonProvider.provider();

    private ChartConfig() {
    }

    /**
     * @param labels one per bar, along the x axis
     * @param xTitle what the x axis counts in
     * @param yTitle what the y axis counts
     */
    static String stackedBars(List<String> labels, List<Series> series, String xTitle, String yTitle) {
        JsonArrayBuilder datasets = JSON.createArrayBuilder();
        for (Series each : series) {
            JsonArrayBuilder values = JSON.createArrayBuilder();
            each.values().forEach(values::add);
            datasets.add(JSON.createObjectBuilder().add("label", each.label()).add("data", values)
                    .add("backgroundColor", each.colour()).add("borderWidth", 0));
        }
        JsonArrayBuilder names = JSON.createArrayBuilder();
        labels.forEach(names::add);
        String config = JSON.createObjectBuilder()
                .add("type", "bar")
                .add("data", JSON.createObjectBuilder().add("labels", names).add("datasets", datasets))
                .add("options", JSON.createObjectBuilder()
                        .add("responsive", true)
                        .add("maintainAspectRatio", false)
                        .add("animation", false) // drawn at once: a screenshot or a reader sees the figures
                        .add("plugins", JSON.createObjectBuilder()
                                .add("legend", JSON.createObjectBuilder().add("position", "bottom")))
                        .add("scales", JSON.createObjectBuilder()
                                .add("x", axis(xTitle).add("ticks", JSON.createObjectBuilder().add("autoSkip", true)
                                        .add("maxRotation", 0)))
                                .add("y", axis(yTitle).add("beginAtZero", true)
                                        .add("ticks", JSON.createObjectBuilder().add("precision", 0)))))
                .build().toString();
        // Inside a script element: a label must not be able to close it.
        return config.replace("<", "\\u003c");
    }

    private static JsonObjectBuilder axis(String title) {
        return JSON.createObjectBuilder().add("stacked", true)
                .add("title", JSON.createObjectBuilder().add("display", true).add("text", title));
    }
}
