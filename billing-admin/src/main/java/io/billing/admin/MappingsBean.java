package io.billing.admin;

import io.billing.inbox.InboxStatus;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.sql.SQLException;

/**
 * Unmapped events and the customer mappings that resolve them: look a customer up, map it to a tenant
 * (re-queues its parked events), change or remove a mapping. Admins only for changes; each needs a reason and is
 * audited. Mapping asks first: it shows how many parked events it will queue again and, for a tenant the service
 * does not know, that the tenant will be created (a typo must not make a tenant quietly).
 */
@Named
@ViewScoped // the confirmation's button must still be rendered when its click comes back
public class MappingsBean implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int PARKED_READ = 500;

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String customer;
    private String tenant;
    private String reason;
    private String current;
    private boolean confirming;
    private boolean newTenant;
    private int toRequeue;
    /** The customer and tenant the confirmation showed. */
    private String previewed;

    private boolean hasReason() {
        if (reason == null || reason.isBlank()) {
            AdminCaller.Messages.error("A mapping change needs a reason: say why, for the audit log.");
            return false;
        }
        return true;
    }

    /** Whether the page asks to confirm a mapping. */
    public boolean isConfirming() {
        return confirming;
    }

    /** Whether the tenant to map to is unknown and will be created. */
    public boolean isNewTenant() {
        return newTenant;
    }

    /** How many of the customer's parked events the mapping will queue again. */
    public int getToRequeue() {
        return toRequeue;
    }

    /**
     * Opened from a list ("map this customer", "change" on a mapping): the editor shows the customer given in the URL
     * with its current mapping, and the tenant where the URL names one.
     */
    public void prefill() throws SQLException {
        if (customer != null && !customer.isBlank()) {
            lookup();
        }
    }

    /** How many parked events of the customer a mapping would queue again (read up to {@value #PARKED_READ}). */
    private int parkedOf(String customerId) throws SQLException {
        return (int) facade.eventSlice(InboxStatus.UNMAPPED, null, null, null, null, customerId, null, true, PARKED_READ)
                .events().stream().filter(e -> customerId.equals(e.customerId())).count();
    }

    public void lookup() throws SQLException {
        if (customer != null && !customer.isBlank()) {
            current = facade.tenantOfCustomer(customer).orElse(null);
        }
    }

    /** First step of a mapping: checks the reason, and shows what confirming will do. */
    public void save() throws SQLException {
        if (!caller.mayAct() || !hasReason()) {
            return;
        }
        if (customer == null || customer.isBlank() || tenant == null || tenant.isBlank()) {
            AdminCaller.Messages.error("A mapping needs a Stripe customer and a tenant.");
            return;
        }
        newTenant = facade.tenant(tenant.trim()).isEmpty();
        String customerId = customer.trim();
        toRequeue = parkedOf(customerId);
        previewed = customerId + " " + tenant.trim();
        confirming = true;
    }

    /** Second step: maps the customer as shown, creating the tenant where it was shown to be new. */
    public void confirm() throws SQLException {
        if (!caller.mayAct() || !hasReason()) {
            return;
        }
        if (!confirming || customer == null || tenant == null
                || !(customer.trim() + " " + tenant.trim()).equals(previewed)) {
            save(); // changed since it was shown: show it again
            return;
        }
        try {
            confirming = false;
            int requeued = facade.mapCustomer(customer, tenant, caller.getName(), reason);
            AdminCaller.Messages.info("Customer " + customer.trim() + " is mapped to " + tenant.trim() + "; "
                    + requeued + " parked event(s) queued again.");
            lookup();
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public void remove() throws SQLException {
        if (!caller.mayAct() || !hasReason()) {
            return;
        }
        try {
            if (facade.unmapCustomer(customer, caller.getName(), reason)) {
                AdminCaller.Messages.info("Customer " + customer.trim() + " is no longer mapped.");
            } else {
                AdminCaller.Messages.error("Customer " + customer.trim() + " was not mapped.");
            }
            lookup();
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public String getCustomer() {
        return customer;
    }

    public void setCustomer(String customer) {
        this.customer = customer;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getCurrent() {
        return current;
    }
}
