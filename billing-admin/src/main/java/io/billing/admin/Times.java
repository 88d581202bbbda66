package io.billing.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as the pages show them: relative, as people say them ("3 min ago", "in 2 h"), with the exact time for a
 * title attribute, so that it shows on hover. Counted from the injected clock, like everything the service records.
 */
@Named("times")
@ApplicationScoped
public class Times {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Inject
    AdminFacade facade;

    /** "3 min ago", "2 h ago", "4 days ago"; a time to come as "in 3 min"; empty for none. */
    public String ago(Instant at) {
        return at == null ? "" : relative(at, facade.now());
    }

    /** The exact time, to the second, in UTC; empty for none. */
    public String exact(Instant at) {
        return at == null ? "" : EXACT.format(at);
    }

    static String relative(Instant at, Instant now) {
        long seconds = Duration.between(at, now).getSeconds();
        String span = span(Math.abs(seconds));
        return seconds >= 0 ? span + " ago" : "in " + span;
    }

    private static String span(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " days";
    }
}
