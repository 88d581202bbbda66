package io.billing.stripe;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Stripe modes the service applies: the setting, else the API key's mode, else both with a warning. */
class StripeModesTest {

    @Test
    void theSettingNamesOneModeOrBothInAnyOrderAndCase() {
        assertEquals(StripeModes.LIVE, StripeModes.parse("live"));
        assertEquals(StripeModes.TEST, StripeModes.parse(" TEST "));
        assertEquals(StripeModes.LIVE_AND_TEST, StripeModes.parse("live,test"));
        assertEquals(StripeModes.LIVE_AND_TEST, StripeModes.parse("test, Live"));
        assertEquals(StripeModes.LIVE, StripeModes.parse("live,live"));
        for (String wrong : new String[] {"", " , ", "production", "live;test", "livemode"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> StripeModes.parse(wrong), wrong);
            assertEquals("BILLING_STRIPE_MODES must be live, test or live,test, not '" + wrong + "'",
                    refused.getMessage());
        }
    }

    @Test
    void eachModeAppliesItsOwnEvents() {
        assertTrue(StripeModes.LIVE.applies(true));
        assertFalse(StripeModes.LIVE.applies(false));
        assertTrue(StripeModes.TEST.applies(false));
        assertFalse(StripeModes.TEST.applies(true));
        assertTrue(StripeModes.LIVE_AND_TEST.applies(true));
        assertTrue(StripeModes.LIVE_AND_TEST.applies(false));
        assertEquals("a test-mode event; this service applies live-mode events only (BILLING_STRIPE_MODES)",
                StripeModes.LIVE.ignoredBecause(false));
        assertEquals("a live-mode event; this service applies test-mode events only (BILLING_STRIPE_MODES)",
                StripeModes.TEST.ignoredBecause(true));
    }

    @Test
    void aKeySaysItsModeByItsPrefix() {
        assertEquals(Optional.of(StripeModes.LIVE), StripeModes.ofApiKey("sk_live_abc"));
        assertEquals(Optional.of(StripeModes.LIVE), StripeModes.ofApiKey("rk_live_abc"));
        assertEquals(Optional.of(StripeModes.TEST), StripeModes.ofApiKey("sk_test_abc"));
        assertEquals(Optional.of(StripeModes.TEST), StripeModes.ofApiKey("rk_test_abc"));
        assertEquals(Optional.empty(), StripeModes.ofApiKey("pk_live_abc"), "a publishable key is no secret key");
        assertEquals(Optional.empty(), StripeModes.ofApiKey("sk_abc"));
        assertEquals(Optional.empty(), StripeModes.ofApiKey(null));
    }

    @Test
    void theSettingWinsThenTheKeysModeThenBothWithAWarning() {
        StripeModes.Chosen configured = StripeModes.choose(Optional.of("live"), Optional.of("sk_live_abc"));
        assertEquals(StripeModes.LIVE, configured.modes());
        assertEquals("BILLING_STRIPE_MODES", configured.source());
        assertEquals(Optional.empty(), configured.warning());

        StripeModes.Chosen byKey = StripeModes.choose(Optional.of(" "), Optional.of("sk_live_abc"));
        assertEquals(StripeModes.LIVE, byKey.modes());
        assertEquals("the mode of STRIPE_API_KEY", byKey.source());
        assertEquals(Optional.empty(), byKey.warning());
        assertEquals(StripeModes.TEST, StripeModes.choose(Optional.empty(), Optional.of("rk_test_abc")).modes());

        StripeModes.Chosen byDefault = StripeModes.choose(Optional.empty(), Optional.empty());
        assertEquals(StripeModes.LIVE_AND_TEST, byDefault.modes());
        assertTrue(byDefault.warning().orElseThrow().contains("a test-mode purchase grants entitlements too"));
        assertEquals(StripeModes.LIVE_AND_TEST, StripeModes.choose(Optional.empty(), Optional.of("sk_abc")).modes(),
                "a key that does not say its mode");

        StripeModes.Chosen againstTheKey = StripeModes.choose(Optional.of("live"), Optional.of("sk_test_abc"));
        assertEquals(StripeModes.LIVE, againstTheKey.modes());
        assertEquals(Optional.of("BILLING_STRIPE_MODES=live leaves out the mode of STRIPE_API_KEY (test): the events"
                + " the missed-event recovery fetches will be ignored"), againstTheKey.warning());
        assertEquals(Optional.empty(), StripeModes.choose(Optional.of("live,test"), Optional.of("sk_test_abc")).warning());
        assertThrows(IllegalArgumentException.class, () -> StripeModes.choose(Optional.of("prod"), Optional.empty()));
    }
}
