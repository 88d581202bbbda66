package io.billing.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How the lists show values: times in UTC to the second (the full instant in their tooltip), yes or no, a reason's
 * first line cut short (the whole of it is on the event's page), and each status's colour.
 */
@Named("fmt")
@ApplicationScoped
public class AdminFormat {

    /** How long a reason a list shows. */
    static final int BRIEF = 90;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** {@code 2026-11-20 14:03:11}, in UTC; empty for none. */
    public String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** The instant as ISO-8601, for a tooltip; empty for none. */
    public String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    public String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** The first line of a text, at most {@value #BRIEF} characters, ending in an ellipsis where it was cut. */
    public String brief(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        boolean cut = end >= 0 && !text.substring(end).isBlank();
        if (line.length() > BRIEF) {
            line = line.substring(0, BRIEF - 1).strip();
            cut = true;
        }
        return cut ? line + "…" : line;
    }

    /**
     * A name in the pieces a narrow column may break it into: after each dot and underscore
     * ({@code customer.subscription.updated} in three), never inside a word.
     */
    public List<String> segments(String name) {
        List<String> parts = new ArrayList<>();
        if (name == null) {
            return parts;
        }
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.' || name.charAt(i) == '_') {
                parts.add(name.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < name.length()) {
            parts.add(name.substring(start));
        }
        return parts;
    }

    /** The PrimeFaces tag severity of an event's status: green done, blue on its way, orange waiting, red failed. */
    public String severity(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "PROCESSED" -> "success";
            case "RECEIVED", "PROCESSING" -> "info";
            case "RETRY_SCHEDULED", "UNMAPPED" -> "warning";
            case "FAILED" -> "danger";
            default -> null; // IGNORED, RESOLVED: closed without effect, grey (admin.css)
        };
    }

    /** An instant as the date picker holds it: the same wall time in UTC. */
    static LocalDateTime utc(Instant at) {
        return at == null ? null : LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /** The date picker's wall time in UTC as an instant. */
    static Instant utc(LocalDateTime at) {
        return at == null ? null : at.toInstant(ZoneOffset.UTC);
    }
}
