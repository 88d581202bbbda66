package io.billing.tenant;

import io.billing.platform.queue.LeasedWorkQueue.Lease;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.processing.handler.TenantResolver.Resolution;
import io.billing.stripe.StripeEventJson;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the tenant is read from: the configured metadata keys, in order, before any mapping. */
class StripeTenantResolverTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final TestDatabase database = TestDatabase.h2();
    private final TenantMappings mappings = new TenantMappings(database.dataAccess(), Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    private Resolution resolve(StripeTenantResolver resolver, String metadata) throws Exception {
        byte[] body = ("{\"id\":\"evt_1\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"id\":\"ch_1\","
                + "\"object\":\"charge\",\"metadata\":" + metadata + "}}}").getBytes(StandardCharsets.UTF_8);
        InboxWorkItem event = new InboxWorkItem("evt_1", "charge.succeeded", "2026-07-29.dahlia", false, null, NOW,
                "charge", "ch_1", null, body, NOW, 1, 1,
                new Lease("node", "token", NOW, NOW.plusSeconds(60), "RECEIVED", null, null), null);
        return database.dataAccess().inTransaction(unit -> resolver.resolve(event, StripeEventJson.parse(body), unit));
    }

    @Test
    void configuredMetadataKeysAreTriedInOrder() throws Exception {
        StripeTenantResolver workspaces = new StripeTenantResolver(mappings, List.of("tenant_id", "workspace_id"),
                StripeTenantResolver.PaymentLookup.NONE);
        assertEquals("tenant_ws", resolve(workspaces, "{\"workspace_id\":\"tenant_ws\"}").tenantId());
        assertEquals("tenant_a", resolve(workspaces, "{\"workspace_id\":\"tenant_ws\",\"tenant_id\":\"tenant_a\"}")
                .tenantId(), "the first key wins");
        Resolution byDefault = resolve(new StripeTenantResolver(mappings), "{\"workspace_id\":\"tenant_ws\"}");
        assertEquals(null, byDefault.tenantId(), "not a tenant key unless configured");
        assertEquals("no tenant metadata and no customer on charge ch_1", byDefault.unmappedReason());
    }
}
