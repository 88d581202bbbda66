package io.billing.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where an id leads in the admin, so that every id on every page is a link to what it names: an event to its page, a
 * tenant to the tenant's page, any Stripe id (customer, subscription, invoice, charge, payment intent …) and an order
 * to the payment trace, a Connect account to its mapping, an audit entry's target to its page. Also the URLs of the
 * lists, whose filters live in the URL so that a list can be bookmarked and sent on.
 */
@Named("links")
@ApplicationScoped
public class AdminLinks {

    /** The page an id of the kind leads to, or null for a kind without a page (the id is shown, not linked). */
    public String href(String kind, String id) {
        if (id == null || id.isBlank() || kind == null) {
            return null;
        }
        return switch (kind) {
            case "event" -> url("/admin/event.xhtml", Map.of("id", id));
            case "tenant" -> url("/admin/tenant.xhtml", Map.of("id", id));
            case "trace" -> url("/admin/trace.xhtml", Map.of("q", id));
            // a payment's key (invoice:in_…, payment:pi_…) and a ledger fact (invoice_paid:in_…): their Stripe id
            case "payment", "fact" -> url("/admin/trace.xhtml", Map.of("q", id.substring(id.lastIndexOf(':') + 1)));
            case "account" -> url("/admin/mappings.xhtml", Map.of("search", id));
            case "map" -> url("/admin/mappings.xhtml", Map.of("customer", id));
            case "history" -> url("/admin/audit.xhtml", Map.of("term", id));
            case "tenant-events" -> url("/admin/events.xhtml", Map.of("tenant", id));
            case "staff" -> url("/admin/manage/staff.xhtml", Map.of());
            case "api-key" -> url("/admin/manage/api-keys.xhtml", Map.of());
            case "product" -> url("/admin/catalogue.xhtml", Map.of());
            default -> null;
        };
    }

    /** The mapping editor opened on a customer and the tenant it is mapped to, to change it. */
    public String changeMapping(String customer, String tenant) {
        return url("/admin/mappings.xhtml", Map.of("customer", customer, "tenant", tenant == null ? "" : tenant));
    }

    /** The kind of id an audit entry's target type is, for {@link #href}; null for a target without a page. */
    public String auditKind(String targetType) {
        if (targetType == null) {
            return null;
        }
        return switch (targetType) {
            case "event", "tenant", "account", "product" -> targetType;
            case "customer", "stripe_object" -> "trace";
            case "reconciliation_record" -> "payment";
            case "staff_account" -> "staff";
            case "api_key" -> "api-key";
            default -> null;
        };
    }

    /** The kind of id an audit entry's before and after values are: a mapping's and an assignment's are tenants. */
    public String auditValueKind(String action) {
        return action != null && (action.contains("MAPPING") || action.equals("ASSIGN_TENANT")) ? "tenant" : null;
    }

    /**
     * A page of the admin with its parameters, those without a value left out; the path starts at the application
     * ({@code /admin/events.xhtml}).
     */
    static String url(String path, Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                query.add(name + "=" + URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
            }
        });
        FacesContext faces = FacesContext.getCurrentInstance();
        String context = faces == null ? "" : faces.getExternalContext().getRequestContextPath();
        return context + path + query;
    }

    /** Answers the request with a redirect to the URL (a search's GET after its form was posted). */
    static void redirect(String url) {
        try {
            FacesContext.getCurrentInstance().getExternalContext().redirect(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
