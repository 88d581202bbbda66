package io.billing.admin;

import io.billing.processing.operator.Misconfigurations;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.Locale;

/**
 * The banner on every admin page while something is set up wrong: each warning in plain words with what to do, and
 * a link to the page where it shows (kept for a few seconds by the domain, so every page may ask).
 */
@Named
@RequestScoped
public class BannerBean {

    /** One line of the banner: its element's id, its words, and the page (and place on it) it links to. */
    public record Line(String id, String text, String outcome, String fragment, String linkText) {
    }

    @Inject
    AdminFacade facade;

    private List<Line> lines;

    public List<Line> getLines() {
        if (lines == null) {
            lines = facade.misconfigurations().stream().map(BannerBean::line).toList();
        }
        return lines;
    }

    static Line line(Misconfigurations.Warning warning) {
        return switch (warning.kind()) {
            case NO_WEBHOOK_SECRET -> new Line("banner-webhook-secret", warning.text(), "/admin/refusals", null,
                    "Refused deliveries");
            case NO_STRIPE_API_KEY -> new Line("banner-stripe-key", warning.text(), "/admin/mappings", null,
                    "Unmapped events");
            case CONNECTOR_FAILING -> new Line("banner-connector-" + warning.subject().toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-"), warning.text(), "/admin/failures", "failures:failed-outbox",
                    "Failures");
        };
    }
}
