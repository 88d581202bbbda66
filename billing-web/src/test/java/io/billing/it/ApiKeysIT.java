package io.billing.it;

import io.billing.testsupport.FakeStripeApi;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SaaS application's API keys on the deployed service: created through the operator API (the secret in that
 * answer only), bound to their tenant and scopes, refused from the moment they are revoked, the legacy token still a
 * key while it is configured; and checkouts that sell only the catalogue's active prices, refused before Stripe is
 * asked.
 */
@ExtendWith(ArquillianExtension.class)
class ApiKeysIT {

    private static final String READ = "entitlements:read";
    private static final String SESSIONS = "sessions:create";
    private static final String CREATE_TENANTS = "tenants:create";

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();
    private final FakeStripeApi stripe = environment.stripe;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @BeforeEach
    void catalogue() throws InterruptedException {
        SaasSetup.offerStandardPrices(client);
    }

    private WebhookClient.Answer entitlements(String tenant, String key) {
        return client.getWithToken("api/tenants/" + tenant + "/entitlements", key);
    }

    private WebhookClient.Answer checkout(String tenant, String price, String mode, String extra, String key) {
        return client.withToken("POST", "api/billing/checkout", "{\"tenant_id\":\"" + tenant + "\",\"order_id\":\""
                + Unique.id("ord_") + "\",\"price\":\"" + price + "\",\"mode\":\"" + mode + "\"" + extra + "}", key);
    }

    private WebhookClient.Answer portal(String tenant, String key) {
        return client.getWithToken("api/billing/portal?tenant_id=" + tenant, key);
    }

    /** The answer is the one error shape, with this code and a message naming {@code named}. */
    private static void assertError(int status, String code, String named, WebhookClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        JsonObject json = answer.json();
        assertEquals(Set.of("error", "message"), json.keySet(), answer.body());
        assertEquals(code, json.getString("error"), answer.body());
        assertTrue(json.getString("message").contains(named), answer.body());
    }

    /** Whether any request to the Stripe fake names the tenant (as customer metadata or checkout reference). */
    private boolean stripeHeardOf(String tenant) {
        return stripe.requests().stream().anyMatch(r -> r.form().containsValue(tenant));
    }

    private List<String> rows(String sql, String parameter) throws SQLException {
        try (Connection db = environment.openDatabase(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet result = query.executeQuery()) {
                List<String> rows = new ArrayList<>();
                while (result.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        row.append(i > 1 ? " | " : "").append(result.getString(i));
                    }
                    rows.add(row.toString());
                }
                return rows;
            }
        }
    }

    @Test
    void theOperatorApiShowsANewKeysSecretOnceAndNeverAgain() throws Exception {
        SaasSetup.Key key = SaasSetup.createKey(client, null, READ);
        assertTrue(key.secret().startsWith(key.keyId() + "_") && key.secret().length() > 60, key.secret());
        String secretPart = key.secret().substring(key.keyId().length() + 1);

        assertEquals(200, entitlements("tenant_any", key.secret()).status());
        WebhookClient.Answer list = client.operator("GET", "api/admin/api-keys", null);
        assertEquals(200, list.status(), list.body());
        assertFalse(list.body().contains(secretPart), "a list never shows a secret: " + list.body());
        assertTrue(list.json().getBoolean("legacy_service_token_configured"), list.body());
        JsonObject listed = list.json().getJsonArray("api_keys").stream().map(JsonObject.class::cast)
                .filter(k -> k.getString("key_id").equals(key.keyId())).findFirst().orElseThrow();
        assertEquals(List.of(READ), listed.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList());
        assertEquals("admin", listed.getString("created_by"));
        assertTrue(listed.containsKey("last_used_at"), "its use is recorded: " + listed);
        assertFalse(listed.containsKey("secret") || listed.containsKey("tenant_id"), listed.toString());
        WebhookClient.Answer one = client.operator("GET", "api/admin/api-keys/" + key.keyId(), null);
        assertEquals(200, one.status(), one.body());
        assertFalse(one.body().contains(secretPart), one.body());

        assertError(400, "invalid_request", "billing:everything", client.operator("POST", "api/admin/api-keys",
                "{\"name\":\"x\",\"scopes\":[\"billing:everything\"]}"));
        assertError(400, "invalid_request", "scopes", client.operator("POST", "api/admin/api-keys", "{\"name\":\"x\"}"));
        assertError(404, "api_key_not_found", "ak_0000000000000000", client.operator("POST",
                "api/admin/api-keys/ak_0000000000000000/revoke", "{\"reason\":\"typo\"}"));
        assertEquals(List.of("admin | integration test"), rows("SELECT actor, reason FROM audit_log"
                + " WHERE action = 'CREATE_API_KEY' AND target_id = ?", key.keyId()));
        assertFalse(rows("SELECT after_value FROM audit_log WHERE target_id = ?", key.keyId()).toString()
                .contains(secretPart), "no secret in the audit log");
    }

    @Test
    void aKeyActsForItsOwnTenantOnlyAndWithItsOwnScopesOnly() {
        String tenantA = Unique.id("tenant_a_");
        String tenantB = Unique.id("tenant_b_");
        SaasSetup.Key ofA = SaasSetup.createKey(client, tenantA, READ, SESSIONS);
        assertEquals(200, entitlements(tenantA, ofA.secret()).status());
        assertError(403, "tenant_not_allowed", tenantB, entitlements(tenantB, ofA.secret()));
        assertError(403, "tenant_not_allowed", tenantB, checkout(tenantB, SaasSetup.ONCE, "payment", "", ofA.secret()));
        assertError(403, "tenant_not_allowed", tenantB, portal(tenantB, ofA.secret()));

        SaasSetup.Key readOnly = SaasSetup.createKey(client, null, READ);
        assertEquals(200, entitlements(tenantB, readOnly.secret()).status(), "bound to no tenant");
        assertError(403, "missing_scope", SESSIONS, checkout(tenantA, SaasSetup.ONCE, "payment", "", readOnly.secret()));
        assertError(403, "missing_scope", SESSIONS, portal(tenantA, readOnly.secret()));
        SaasSetup.Key sessionsOnly = SaasSetup.createKey(client, null, SESSIONS);
        assertError(403, "missing_scope", READ, entitlements(tenantA, sessionsOnly.secret()));
        assertError(403, "missing_scope", CREATE_TENANTS, checkout(tenantB, SaasSetup.ONCE, "payment",
                ",\"create_tenant\":true", sessionsOnly.secret()));
        assertFalse(stripeHeardOf(tenantA) || stripeHeardOf(tenantB), "nothing refused reached Stripe");
    }

    @Test
    void aRevokedKeyIsRefusedFromTheNextRequestOn() throws Exception {
        SaasSetup.Key key = SaasSetup.createKey(client, null, READ);
        assertEquals(200, entitlements("tenant_any", key.secret()).status());
        WebhookClient.Answer revoked = client.operator("POST", "api/admin/api-keys/" + key.keyId() + "/revoke",
                "{\"reason\":\"leaked in a ticket\"}");
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals("admin", revoked.json().getString("revoked_by"));
        assertError(401, "unauthorized", "revoked", entitlements("tenant_any", key.secret()));
        assertEquals(List.of("admin | leaked in a ticket"), rows("SELECT actor, reason FROM audit_log"
                + " WHERE action = 'REVOKE_API_KEY' AND target_id = ?", key.keyId()));

        assertError(401, "unauthorized", "unknown", entitlements("tenant_any", "ak_0123456789abcdef_" + "A".repeat(43)));
        assertError(401, "unauthorized", "missing", entitlements("tenant_any", null));
        assertEquals(401, entitlements("tenant_any", "not-a-key").status());
    }

    @Test
    void theLegacyServiceTokenStillOpensEveryTenantWithEveryScope() {
        String tenant = Unique.id("tenant_legacy_");
        assertEquals(200, entitlements(tenant, environment.serviceToken).status());
        assertEquals(201, checkout(tenant, SaasSetup.ONCE, "payment", ",\"create_tenant\":true",
                environment.serviceToken).status());
        assertEquals(200, portal(tenant, environment.serviceToken).status());
    }

    @Test
    void checkoutSellsOnlyTheCataloguesActivePricesAndRefusesTheRestBeforeStripeIsAsked() throws Exception {
        String inactive = Unique.id("price_it_archived_");
        SaasSetup.offerPrice(client, inactive, null, "usd", true);
        SaasSetup.offerPrice(client, inactive, null, "usd", false);
        SaasSetup.Key key = SaasSetup.createKey(client, null, SESSIONS, CREATE_TENANTS);
        String tenant = Unique.id("tenant_shop_");
        String create = ",\"create_tenant\":true";
        String forged = Unique.id("price_forged_");

        assertError(400, "price_not_in_catalogue", forged, checkout(tenant, forged, "payment", create, key.secret()));
        assertError(400, "price_inactive", inactive, checkout(tenant, inactive, "payment", create, key.secret()));
        assertError(400, "price_not_for_mode", "subscription", checkout(tenant, SaasSetup.MONTHLY, "payment", create,
                key.secret()));
        assertError(400, "currency_not_offered", "EUR", checkout(tenant, SaasSetup.ONCE, "payment",
                create + ",\"currency\":\"eur\"", key.secret()));
        assertError(404, "tenant_not_found", tenant, checkout(tenant, SaasSetup.ONCE, "payment", "", key.secret()));
        assertFalse(stripeHeardOf(tenant), "no refused checkout reached Stripe");
        assertEquals(List.of(), rows("SELECT tenant_id FROM tenant WHERE tenant_id = ?", tenant), "nothing registered");
        assertEquals(List.of(), rows("SELECT attempt_id FROM checkout_attempt WHERE tenant_id = ?", tenant));

        WebhookClient.Answer sold = checkout(tenant, SaasSetup.ONCE, "payment", create + ",\"currency\":\"USD\"",
                key.secret());
        assertEquals(201, sold.status(), sold.body());
        assertEquals(List.of("api-key:" + key.keyId() + " | ACTIVE"), rows("SELECT actor, after_value FROM audit_log"
                + " WHERE action = 'REGISTER_TENANT' AND target_id = ?", tenant));
    }

    @Test
    void everyPortalSessionHandedOutIsAuditedUnderTheKey() throws Exception {
        String tenant = Unique.id("tenant_portal_");
        SaasSetup.Key key = SaasSetup.createKey(client, tenant, SESSIONS, CREATE_TENANTS);
        WebhookClient.Answer sold = checkout(tenant, SaasSetup.MONTHLY, "subscription", ",\"create_tenant\":true",
                key.secret());
        assertEquals(201, sold.status(), sold.body());
        WebhookClient.Answer portal = portal(tenant, key.secret());
        assertEquals(200, portal.status(), portal.body());
        assertEquals(List.of("api-key:" + key.keyId() + " | " + sold.json().getString("customer_id")),
                rows("SELECT actor, after_value FROM audit_log WHERE action = 'ISSUE_PORTAL_SESSION' AND target_id = ?",
                        tenant));
        assertFalse(rows("SELECT after_value FROM audit_log WHERE target_id = ?", tenant).toString()
                .contains(portal.json().getString("url")), "the portal URL itself is not kept");
    }
}
