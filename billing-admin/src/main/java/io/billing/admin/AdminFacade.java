package io.billing.admin;

import io.billing.audit.AuditQueries;
import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffPasswords;
import io.billing.tenant.TenantMappings;
import io.billing.trace.PaymentTrace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What the admin's pages may ask of the domain, in one place: read models (records, never entities) and
 * the operator's actions, each taking who acts and why for the audit log.
 */
@ApplicationScoped
public class AdminFacade {

    @Inject
    EventQueries events;

    @Inject
    EventOperations operations;

    @Inject
    PaymentTrace traces;

    @Inject
    TenantMappings mappings;

    @Inject
    AuditQueries audit;

    @Inject
    StaffAccounts staff;

    @Inject
    StaffPasswords passwords;

    public EventViews.Overview overview() throws SQLException {
        return events.overview();
    }

    public EventViews.Page events(InboxStatus status, String type, String tenant, String objectId, int page, int size)
            throws SQLException {
        return events.list(new EventFilter(status, blankToNull(type), blankToNull(tenant), blankToNull(objectId),
                null, null, page, size));
    }

    /** One keyset page of events (see {@link EventQueries#slice}). */
    public EventViews.Slice eventSlice(InboxStatus status, String type, String tenant, java.time.Instant from,
                                       java.time.Instant to, String search, EventViews.Cursor cursor, boolean older,
                                       int size) throws SQLException {
        return events.slice(new EventFilter(status, blankToNull(type), blankToNull(tenant), null, from, to, 0, 1),
                blankToNull(search), cursor, older, size);
    }

    public Optional<EventViews.Detail> event(String eventId) throws SQLException {
        return events.detail(eventId);
    }

    public boolean retry(String eventId, String actor, String reason) throws SQLException {
        return operations.retry(eventId, actor, reason);
    }

    public boolean resolve(String eventId, String actor, String reason) throws SQLException {
        return operations.resolve(eventId, actor, reason);
    }

    public PaymentTrace.Trace trace(String anyId) throws SQLException {
        return traces.trace(anyId.trim());
    }

    public Optional<String> tenantOfCustomer(String customerId) throws SQLException {
        return mappings.tenantOf(customerId.trim());
    }

    /** Sets a customer's tenant; returns how many parked events it re-queued. */
    public int mapCustomer(String customerId, String tenantId, String actor, String reason) throws SQLException {
        return mappings.put(customerId.trim(), tenantId.trim(), actor, reason);
    }

    public boolean unmapCustomer(String customerId, String actor, String reason) throws SQLException {
        return mappings.remove(customerId.trim(), actor, reason);
    }

    public List<AuditQueries.Entry> audit(String term, int limit) throws SQLException {
        return audit.search(term, limit);
    }

    public List<StaffAccounts.StaffView> staff() throws SQLException {
        return staff.list();
    }

    public boolean createStaff(String username, String password, String role, String actor, String reason)
            throws SQLException {
        return staff.create(username, passwords.hash(password), role, actor, reason);
    }

    public boolean setStaffEnabled(String username, boolean enabled, String actor, String reason) throws SQLException {
        return staff.setEnabled(username, enabled, actor, reason);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
