package io.billing.stripe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which of Stripe's modes the service applies events of: live, test, or both. Every Stripe event says its mode
 * ({@code livemode}); a test-mode purchase is made with a test card and pays nothing, so applying it in a
 * production service grants real entitlements for free. The intake stores events of every mode; the engine ignores
 * those of a mode it does not apply.
 *
 * <p>Unless configured, the modes follow the Stripe API key, whose prefix says its mode ({@code sk_live_…},
 * {@code rk_test_…}): the service talks to one mode's API, and its recovery and reads see that mode's objects only.
 * Without a key (the demo, a webhook-only service) both modes are applied, which {@link #warning} says.
 */
public enum StripeModes {

    LIVE("live"), TEST("test"), LIVE_AND_TEST("live,test");

    private final String setting;

    StripeModes(String setting) {
        this.setting = setting;
    }

    /** The modes as the setting writes them: {@code live}, {@code test} or {@code live,test}. */
    public String setting() {
        return setting;
    }

    /** Whether an event of this mode is applied. */
    public boolean applies(boolean livemode) {
        return this == LIVE_AND_TEST || (this == LIVE) == livemode;
    }

    /** Why an event of a mode that is not applied ends ignored. */
    public String ignoredBecause(boolean livemode) {
        return (livemode ? "a live-mode" : "a test-mode") + " event; this service applies " + setting
                + "-mode events only (BILLING_STRIPE_MODES)";
    }

    /**
     * The modes a setting names: {@code live}, {@code test}, or both ({@code live,test} in either order, any case).
     *
     * @throws IllegalArgumentException for anything else, so that a typo fails the start rather than the billing
     */
    public static StripeModes parse(String setting) {
        String[] modes = Arrays.stream(setting.split(",")).map(m -> m.trim().toLowerCase(Locale.ROOT))
                .filter(m -> !m.isEmpty()).distinct().sorted().toArray(String[]::new);
        return switch (String.join(",", modes)) {
            case "live" -> LIVE;
            case "test" -> TEST;
            case "live,test" -> LIVE_AND_TEST;
            default -> throw new IllegalArgumentException("BILLING_STRIPE_MODES must be live, test or live,test, not '"
                    + setting + "'");
        };
    }

    /** The mode of a Stripe secret or restricted key, by its prefix; empty for a key that does not say. */
    public static Optional<StripeModes> ofApiKey(String apiKey) {
        if (apiKey == null) {
            return Optional.empty();
        }
        if (apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_")) {
            return Optional.of(LIVE);
        }
        if (apiKey.startsWith("sk_test_") || apiKey.startsWith("rk_test_")) {
            return Optional.of(TEST);
        }
        return Optional.empty();
    }

    /**
     * The modes the service applies, where that came from, and what an operator should hear at start: that test-mode
     * events are applied without anyone having said so, or that the modes leave out the API key's own.
     */
    public record Chosen(StripeModes modes, String source, Optional<String> warning) {
    }

    /**
     * The modes to apply: the setting if there is one, else the API key's mode, else both.
     *
     * @param setting {@code BILLING_STRIPE_MODES}, or empty
     * @param apiKey  {@code STRIPE_API_KEY}, or empty; only its prefix is read, it is never logged
     */
    public static Chosen choose(Optional<String> setting, Optional<String> apiKey) {
        Optional<StripeModes> keyMode = apiKey.flatMap(StripeModes::ofApiKey);
        Optional<String> configured = setting.filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            StripeModes modes = parse(configured.get());
            return new Chosen(modes, "BILLING_STRIPE_MODES", keyMode.filter(key -> !modes.applies(key == LIVE))
                    .map(key -> "BILLING_STRIPE_MODES=" + modes.setting + " leaves out the mode of STRIPE_API_KEY ("
                            + key.setting + "): the events the missed-event recovery fetches will be ignored"));
        }
        return keyMode.map(mode -> new Chosen(mode, "the mode of STRIPE_API_KEY", Optional.empty()))
                .orElseGet(() -> new Chosen(LIVE_AND_TEST, "the default without a Stripe API key of either mode",
                        Optional.of("Stripe events of live and test mode are applied: a test-mode purchase grants"
                                + " entitlements too. Set BILLING_STRIPE_MODES=live in production.")));
    }
}
