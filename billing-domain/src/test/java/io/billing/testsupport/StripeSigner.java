package io.billing.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs request bodies the way Stripe does, written separately from the service's verifier
 * ({@code WebhookSignatureVerifier}) and from stripe-java, so that the three check one another: HMAC-SHA256
 * keyed with the whole {@code whsec_…} string as UTF-8, over {@code <t>.<raw body>}, lowercase hex.
 */
public final class StripeSigner {

    private StripeSigner() {
    }

    /** The lowercase hex {@code v1} signature of {@code body} at unix time {@code t}. */
    public static String v1(byte[] body, String secret, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complete {@code Stripe-Signature} header with one {@code v1} entry per secret. */
    public static String header(byte[] body, long t, String... secrets) {
        StringBuilder header = new StringBuilder("t=").append(t);
        for (String secret : secrets) {
            header.append(",v1=").append(v1(body, secret, t));
        }
        return header.toString();
    }
}
