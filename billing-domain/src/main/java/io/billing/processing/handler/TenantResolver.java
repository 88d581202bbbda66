package io.billing.processing.handler;

import io.billing.platform.persistence.UnitOfWork;
import io.billing.stripe.StripeEventJson;

import java.sql.SQLException;

/**
 * Finds the tenant an event belongs to, inside the event's transaction: it runs for every event whose handlers
 * are tenant-scoped, before them, in their unit of work (whose persistence context it may read and write through,
 * so a mapping looked up once in a batch is not looked up again).
 */
public interface TenantResolver {

    /**
     * The tenant, or why there is none.
     *
     * @param tenantId       the tenant, or null
     * @param unmappedReason when there is no tenant: what is missing or conflicting, for the operator
     * @param awaitingId     when there is no tenant: the customer (whose mapping) or the payment (whose
     *                       arrival) would give it one; null when only an operator can help
     * @param source         when there is a tenant: what named it (kept with the event, for support)
     */
    record Resolution(String tenantId, String unmappedReason, String awaitingId, String source) {
        public static Resolution of(String tenantId) {
            return new Resolution(tenantId, null, null, null);
        }

        public static Resolution of(String tenantId, String source) {
            return new Resolution(tenantId, null, null, source);
        }

        public static Resolution unmapped(String reason, String awaitingId) {
            return new Resolution(null, reason, awaitingId, null);
        }

        public boolean resolved() {
            return tenantId != null;
        }
    }

    Resolution resolve(InboxWorkItem event, StripeEventJson json, UnitOfWork unit) throws SQLException;
}
