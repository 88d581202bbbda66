package io.billing.inbox;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEnvelopeParserTest {

    private final EventEnvelopeParser parser = new EventEnvelopeParser();

    @Test
    void everyFixtureParsesAndKeepsItsRawBytes() throws Exception {
        for (Fixture fixture : StripeFixtures.all()) {
            EventEnvelope envelope = parser.parse(fixture.body());
            assertEquals(fixture.eventId(), envelope.eventId(), fixture.name());
            assertSame(fixture.body(), envelope.rawBody(), fixture.name());
            assertFalse(envelope.livemode(), fixture.name());
        }
    }

    @Test
    void liftsTheEnvelopeOfASubscriptionInvoice() throws Exception {
        EventEnvelope e = parser.parse(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").body());
        assertEquals("invoice.paid", e.type());
        assertEquals("2026-07-29.dahlia", e.apiVersion());
        assertEquals(Instant.ofEpochSecond(1785765755), e.created());
        assertEquals("invoice", e.objectType());
        assertEquals("in_TEST1_SUB0001", e.objectId());
        assertEquals("cus_TEST1", e.customerId());
        assertNull(e.account());
    }

    @Test
    void aCustomerEventBelongsToThatCustomer() throws Exception {
        EventEnvelope e = parser.parse(StripeFixtures.get("acme/34_customer.deleted.json").body());
        assertEquals("cus_TEST1", e.objectId());
        assertEquals("cus_TEST1", e.customerId());
    }

    @Test
    void objectsWithoutIdOrCustomerAreFine() throws Exception {
        EventEnvelope summary = parser.parse(StripeFixtures.get("acme/29_entitlements.active_entitlement_summary.updated.json").body());
        assertNull(summary.objectId());
        assertEquals("cus_TEST1", summary.customerId());
        EventEnvelope paymentLink = parser.parse(StripeFixtures.get("unmapped/02_checkout.session.completed.payment_link_no_metadata.json").body());
        assertNull(paymentLink.customerId());
        EventEnvelope product = parser.parse(StripeFixtures.get("acme/01_product.created.json").body());
        assertEquals("prod_PRO", product.objectId());
        assertNull(product.customerId());
    }

    @Test
    void connectAccountAndExpandedCustomerAreRead() throws Exception {
        byte[] body = """
                {"id":"evt_c1","type":"charge.succeeded","created":1785765755,"livemode":true,"account":"acct_123",
                 "data":{"object":{"id":"ch_1","object":"charge","customer":{"id":"cus_9","object":"customer"}}}}"""
                .getBytes(StandardCharsets.UTF_8);
        EventEnvelope e = parser.parse(body);
        assertEquals("acct_123", e.account());
        assertEquals("cus_9", e.customerId());
        assertEquals(true, e.livemode());
        assertArrayEquals(body, e.rawBody());
    }

    @Test
    void unknownTypesAndOldVersionsAreAccepted() throws Exception {
        EventEnvelope e = parser.parse("{\"id\":\"evt_x\",\"type\":\"brand_new.thing\",\"created\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("brand_new.thing", e.type());
        assertNull(e.apiVersion());
        assertNull(e.objectType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"evt\"", "42", "null", "{", "{\"id\":\"evt_1\",}", "not json"})
    void refusesWhatIsNotAJsonObject(String body) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> parser.parse(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid_json", e.code());
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] body = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertEquals("invalid_json", assertThrows(MalformedEventException.class, () -> parser.parse(body)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"invoice.paid\",\"created\":1}",
            "{\"id\":\"evt_1\",\"created\":1}",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}",
            "{\"id\":42,\"type\":\"invoice.paid\",\"created\":1}",
            "{\"id\":\"  \",\"type\":\"invoice.paid\",\"created\":1}",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":\"yesterday\"}"})
    void refusesEventsMissingARequiredField(String body) {
        assertEquals("missing_field",
                assertThrows(MalformedEventException.class, () -> parser.parse(body.getBytes(StandardCharsets.UTF_8))).code());
    }

    @Test
    void refusesAnIdTooLongToStoreAndKeepsTheLongestThatFits() throws Exception {
        String longest = "evt_" + "x".repeat(EventEnvelopeParser.MAX_ID_LENGTH - 4);
        assertEquals(longest, parser.parse(event(longest, "")).eventId(), "the column holds 255");
        assertEquals("invalid_field", assertThrows(MalformedEventException.class,
                () -> parser.parse(event(longest + "x", ""))).code());
    }

    @Test
    void dropsAnApiVersionTooLongToStoreButKeepsTheEvent() throws Exception {
        String longest = "2026-07-29." + "d".repeat(EventEnvelopeParser.MAX_API_VERSION_LENGTH - 11);
        assertEquals(longest, parser.parse(event("evt_1", ",\"api_version\":\"" + longest + "\"")).apiVersion());
        assertNull(parser.parse(event("evt_1", ",\"api_version\":\"" + longest + "d\"")).apiVersion());
    }

    @Test
    void fieldsOfAnUnexpectedKindAreSkippedNotRefused() throws Exception {
        EventEnvelope e = parser.parse(event("evt_1", ",\"livemode\":\"yes\",\"data\":[{\"object\":{\"id\":\"ch_1\"}}]"));
        assertFalse(e.livemode(), "only true is live");
        assertNull(e.objectId(), "data that is not an object has no object");
        assertEquals("evt_1", e.eventId());
    }

    /** An invoice.paid event with the given id, and the given members (each after a comma) after its envelope. */
    private static byte[] event(String id, String members) {
        return ("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"created\":1" + members + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A signed body can carry values no column stores: each gets its own answer naming the field. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1000000000000000}|'created'",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":-1000000000000000}|'created'",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":253402300800}|'created'",
            "{\"id\":\"evt_\\u0000\",\"type\":\"invoice.paid\",\"created\":1}|'id'",
            "{\"id\":\"evt_1\",\"type\":\"invoice.\\ud800paid\",\"created\":1}|'type'",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1,\"account\":\"acct_\\u0000\"}|'account'",
            "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1,\"api_version\":\"\\udc00\"}|'api_version'",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"in_\\u0000\"}}}|'data.object.id'",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"customer\":\"cus_\\u0000\"}}}|'data.object.customer'"
    })
    void refusesValuesNoDatabaseStoresNamingTheField(String bodyAndField) {
        String[] parts = bodyAndField.split("\\|");
        MalformedEventException refused = assertThrows(MalformedEventException.class,
                () -> parser.parse(parts[0].getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid_field", refused.code(), refused.getMessage());
        assertTrue(refused.getMessage().contains(parts[1]), refused.getMessage());
    }

    @Test
    void acceptsTheEdgesOfTheStorableRangeAndPairedSurrogates() throws Exception {
        String body = "{\"id\":\"evt_\\ud83d\\ude00\",\"type\":\"invoice.paid\",\"created\":%d}";
        assertEquals(Instant.EPOCH, parser.parse(String.format(body, 0).getBytes(StandardCharsets.UTF_8)).created());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"),
                parser.parse(String.format(body, 253402300799L).getBytes(StandardCharsets.UTF_8)).created());
        assertEquals("evt_\ud83d\ude00", parser.parse(String.format(body, 1).getBytes(StandardCharsets.UTF_8)).eventId());
    }
}
