package io.billing.admin;

import io.billing.staff.StaffAccount;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;

import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who is using the admin and what they may do. Pages hide what support may not do; every action checks
 * again here, so a forged request from a support account changes nothing.
 */
@Named
@RequestScoped
public class AdminCaller {

    @Inject
    SecurityContext security;

    public String getName() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    public boolean isAdmin() {
        return security.isCallerInRole(StaffAccount.ADMIN);
    }

    /** True if the caller is an admin; otherwise says so on the page and returns false. */
    public boolean mayAct() {
        if (isAdmin()) {
            return true;
        }
        Messages.error("Only an admin may do that; support accounts can only look.");
        return false;
    }

    /** Page messages, one place. */
    public static final class Messages {

        private static final Logger LOG = Logger.getLogger(Messages.class.getName());

        private Messages() {
        }

        /**
         * The database failed: the page says so with a reference, and the log has the database's own words under
         * it. Staff never see those words (they may name tables, values or the server).
         */
        public static void databaseFailed(SQLException e) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.log(Level.WARNING, "admin page: the database failed (reference " + reference + ")", e);
            error("The database did not answer; try again shortly (reference " + reference + " in the service's log).");
        }

        public static void info(String text) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
        }

        public static void error(String text) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
        }

        /** Keeps this request's messages for the page a redirect loads next. */
        public static void keepForRedirect() {
            FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
        }
    }
}
