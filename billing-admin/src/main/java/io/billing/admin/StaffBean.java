package io.billing.admin;

import io.billing.staff.StaffAccount;
import io.billing.staff.StaffAccounts;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;

/**
 * Staff accounts (admins only): list, create, set a password, enable or disable; each change needs a reason and is
 * audited with it. A password an admin sets must be changed by the account's owner at the next login; disabling an
 * account or setting its password ends its sessions. One's own password is changed on the password page, which asks
 * for the current one.
 */
@Named
@RequestScoped
public class StaffBean {

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String username;
    private String password;
    private String role = StaffAccount.SUPPORT;
    private String reason;

    /** Whether the caller may change accounts and said why; otherwise the page says what is missing. */
    private boolean mayChange() {
        if (!caller.mayAct()) {
            return false;
        }
        if (reason == null || reason.isBlank()) {
            AdminCaller.Messages.error("A staff change needs a reason: say why, for the audit log.");
            return false;
        }
        return true;
    }

    public List<StaffAccounts.StaffView> getAccounts() throws SQLException {
        return facade.staff();
    }

    public void create() throws SQLException {
        if (!mayChange()) {
            password = null;
            return;
        }
        try {
            if (facade.createStaff(username, password, role, caller.getName(), reason.trim())) {
                AdminCaller.Messages.info("Account " + username + " (" + role + ") created; " + username
                        + " must choose their own password at the first login.");
                username = null;
            } else {
                AdminCaller.Messages.error("The user name " + username + " is taken.");
            }
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
        password = null;
    }

    /** Sets the password of the account named in the form (an admin resetting it, or changing their own). */
    public void changePassword() throws SQLException {
        if (!mayChange()) {
            password = null;
            return;
        }
        if (username != null && username.equals(caller.getName())) {
            AdminCaller.Messages.error("Change your own password under My password.");
            password = null;
            return;
        }
        try {
            if (facade.setStaffPassword(username, password, caller.getName(), reason.trim())) {
                AdminCaller.Messages.info("The password of " + username + " is changed; " + username
                        + " must choose their own at the next login.");
            } else {
                AdminCaller.Messages.error("No account " + username + ".");
            }
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
        password = null;
    }

    public void toggle(String account, boolean enable) throws SQLException {
        if (mayChange() && facade.setStaffEnabled(account, enable, caller.getName(), reason.trim())) {
            AdminCaller.Messages.info("Account " + account + (enable ? " enabled." : " disabled."));
        }
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }
}
