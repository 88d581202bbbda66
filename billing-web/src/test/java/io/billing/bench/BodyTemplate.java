package io.billing.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixture body with its event id and its Stripe object id cut out, rendered with a unique token in each
 * place: {@code evt_bench_<token>} and, for the object, {@code <object prefix>bench_<token>}. Every event
 * then touches its own object, as real traffic spread over many invoices does, instead of all the
 * benchmark's events queueing on one row.
 */
record BodyTemplate(List<byte[]> segments, List<byte[]> gapPrefixes) {

    static BodyTemplate of(byte[] body, String eventId, String objectId) {
        String text = new String(body, StandardCharsets.UTF_8);
        String objectPrefix = objectId.substring(0, objectId.indexOf('_') + 1);
        List<byte[]> segments = new ArrayList<>();
        List<byte[]> prefixes = new ArrayList<>();
        int at = 0;
        while (true) {
            int nextEvent = text.indexOf(eventId, at);
            int nextObject = text.indexOf(objectId, at);
            int next = nextEvent < 0 ? nextObject : nextObject < 0 ? nextEvent : Math.min(nextEvent, nextObject);
            if (next < 0) {
                break;
            }
            boolean isEvent = next == nextEvent;
            segments.add(text.substring(at, next).getBytes(StandardCharsets.UTF_8));
            prefixes.add((isEvent ? "evt_bench_" : objectPrefix + "bench_").getBytes(StandardCharsets.US_ASCII));
            at = next + (isEvent ? eventId : objectId).length();
        }
        segments.add(text.substring(at).getBytes(StandardCharsets.UTF_8));
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("event id " + eventId + " not found in the fixture");
        }
        return new BodyTemplate(segments, prefixes);
    }

    byte[] render(String token) {
        byte[] unique = token.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(segments.get(0).length * 2);
        for (int i = 0; i < gapPrefixes.size(); i++) {
            out.writeBytes(segments.get(i));
            out.writeBytes(gapPrefixes.get(i));
            out.writeBytes(unique);
        }
        out.writeBytes(segments.get(segments.size() - 1));
        return out.toByteArray();
    }
}
