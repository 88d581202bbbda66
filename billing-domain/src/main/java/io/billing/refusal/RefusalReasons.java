package io.billing.refusal;

import java.util.Map;

/** The webhook's refusal codes in plain words, for people reading the admin's pages. */
public final class RefusalReasons {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("unsupported_media_type", "not sent as JSON (its Content-Type is not application/json)"),
            Map.entry("payload_too_large", "larger than the webhook accepts"),
            Map.entry("unreadable_body", "its body could not be read (the connection broke off)"),
            Map.entry("missing_signature", "no Stripe-Signature header"),
            Map.entry("malformed_signature", "a Stripe-Signature header without a timestamp or a v1 signature"),
            Map.entry("signature_mismatch", "signed with a secret that is not configured here, or changed after signing"),
            Map.entry("timestamp_too_old", "signed too long ago: a replay, or a clock that is wrong"),
            Map.entry("timestamp_in_future", "signed with a time in the future: a clock that is wrong"),
            Map.entry("webhook_not_configured", "no webhook secret is configured here, so nothing can be checked"),
            Map.entry("invalid_json", "signed, but not a JSON object"),
            Map.entry("missing_field", "signed, but without an event's id, type or created time"),
            Map.entry("invalid_field", "signed, but an event's id, type or created time is malformed"));

    private RefusalReasons() {
    }

    /** The code in words; a code without words is given as it is. */
    public static String describe(String code) {
        return WORDS.getOrDefault(code, code);
    }
}
