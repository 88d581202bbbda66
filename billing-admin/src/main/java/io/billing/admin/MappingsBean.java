package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;

/**
 * Unmapped events and the customer mappings that resolve them: look a customer up, map it to a tenant
 * (re-queues its parked events), change or remove a mapping. Admins only for changes; audited.
 */
@Named
@RequestScoped
public class MappingsBean {

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String customer;
    private String tenant;
    private String reason;
    private String current;

    public List<EventViews.Summary> getUnmapped() throws SQLException {
        return facade.events(InboxStatus.UNMAPPED, null, null, null, 0, 200).events();
    }

    public void lookup() throws SQLException {
        if (customer != null && !customer.isBlank()) {
            current = facade.tenantOfCustomer(customer).orElse(null);
        }
    }

    public void save() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        try {
            int requeued = facade.mapCustomer(customer, tenant, caller.getName(), reason);
            AdminCaller.Messages.info("Customer " + customer.trim() + " is mapped to " + tenant.trim() + "; "
                    + requeued + " parked event(s) queued again.");
            lookup();
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public void remove() throws SQLException {
        if (!caller.mayAct()) {
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
