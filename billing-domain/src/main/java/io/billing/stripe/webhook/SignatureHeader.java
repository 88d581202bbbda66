package io.billing.stripe.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The parsed {@code Stripe-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]}.
 * Schemes other than {@code v1} are ignored, as Stripe documents; there may be several {@code v1}
 * entries while Stripe rolls a secret.
 */
public record SignatureHeader(long timestamp, List<String> v1Signatures) {

    private static final int MAX_HEADER_LENGTH = 8 * 1024;
    private static final String HMAC_SHA256 = "HmacSHA256";

    public SignatureHeader {
        v1Signatures = List.copyOf(v1Signatures);
    }

    /**
     * The header value Stripe's scheme gives {@code payload} at unix time {@code timestamp}: {@code t=<t>,v1=<hex
     * HMAC-SHA256 of "<t>.<payload>" with the secret>}. Used where this service signs like Stripe: the demo's
     * deliveries and the tenants' callbacks.
     */
    public static String sign(String secret, long timestamp, String payload) {
        return "t=" + timestamp + ",v1=" + v1(key(secret), timestamp, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The HMAC key of an endpoint secret: the whole {@code whsec_…} string as UTF-8, as Stripe keys it. */
    static SecretKeySpec key(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256);
    }

    /**
     * The {@code v1} signature of {@code body} at {@code timestamp}: lowercase hex HMAC-SHA256 of {@code <t>.<body>},
     * over the bytes as given. The one HMAC of Stripe's scheme in the service, for signing and verifying alike.
     */
    static String v1(SecretKeySpec key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 takes a key of any length in every Java runtime", e);
        }
    }

    /**
     * Parses a header value.
     *
     * @throws SignatureRejectedException with {@link SignatureRejection#MISSING_SIGNATURE} when the header is
     *         absent or blank, {@link SignatureRejection#MALFORMED_SIGNATURE} when it has no usable timestamp or
     *         no {@code v1} entry
     */
    public static SignatureHeader parse(String header) throws SignatureRejectedException {
        if (header == null || header.isBlank()) {
            throw new SignatureRejectedException(SignatureRejection.MISSING_SIGNATURE);
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
        }
        Long timestamp = null;
        List<String> v1 = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp != null) {
                    throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
                }
                timestamp = parseTimestamp(value);
            } else if (key.equals("v1")) {
                if (!isSha256Hex(value)) {
                    throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
                }
                v1.add(value);
            }
        }
        if (timestamp == null || v1.isEmpty()) {
            throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
        }
        return new SignatureHeader(timestamp, v1);
    }

    private static long parseTimestamp(String value) throws SignatureRejectedException {
        if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(Character::isDigit)) {
            throw new SignatureRejectedException(SignatureRejection.MALFORMED_SIGNATURE);
        }
        return Long.parseLong(value);
    }

    private static boolean isSha256Hex(String value) {
        // HMAC-SHA256 gives 32 bytes, 64 hex digits; anything else can never match.
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
