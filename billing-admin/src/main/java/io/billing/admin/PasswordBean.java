package io.billing.admin;

import io.billing.staff.StaffLogins;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.SQLException;

/**
 * A staff member changes their own password, proving the current one. A password someone else chose (the first
 * start's generated one, or one an admin set) leads here at the login, and nothing else opens until it is changed.
 * The change ends every session of the account; this one logs in again at once with the new password.
 */
@Named
@RequestScoped
public class PasswordBean {

    /**
     * Request attribute in which the web tier's staff security leaves the caller's address as its login throttle
     * counts it (io.billing.web.security.ClientAddress).
     */
    static final String CLIENT_ADDRESS = "io.billing.client-address";

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    @Inject
    SecurityContext security;

    @Inject
    FacesContext faces;

    private String current;
    private String chosen;
    private String repeated;

    public boolean isRequired() throws SQLException {
        return caller.getName() != null && facade.mustChangePassword(caller.getName());
    }

    public void change() throws IOException, SQLException {
        String newPassword = chosen;
        try {
            if (newPassword == null || !newPassword.equals(repeated)) {
                AdminCaller.Messages.error("The new password and its repetition differ.");
                return;
            }
            ExternalContext external = faces.getExternalContext();
            HttpServletRequest request = (HttpServletRequest) external.getRequest();
            StaffLogins.Outcome outcome = facade.changeOwnPassword(caller.getName(), current, newPassword,
                    (String) request.getAttribute(CLIENT_ADDRESS));
            if (outcome instanceof StaffLogins.Throttled) {
                AdminCaller.Messages.error("Too many failed attempts: try again in a while.");
            } else if (!(outcome instanceof StaffLogins.LoggedIn)) {
                AdminCaller.Messages.error("The current password is wrong.");
            } else if (security.authenticate(request, (HttpServletResponse) external.getResponse(),
                    AuthenticationParameters.withParams().newAuthentication(true)
                            .credential(new UsernamePasswordCredential(caller.getName(), newPassword)))
                    == AuthenticationStatus.SUCCESS) {
                external.getFlash().setKeepMessages(true);
                AdminCaller.Messages.info("Your password is changed.");
                external.redirect(external.getRequestContextPath() + "/admin/index.xhtml");
            } else {
                external.redirect(external.getRequestContextPath() + "/login.xhtml");
            }
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        } finally {
            current = null;
            chosen = null;
            repeated = null;
        }
    }

    public String getCurrent() {
        return current;
    }

    public void setCurrent(String current) {
        this.current = current;
    }

    public String getChosen() {
        return chosen;
    }

    public void setChosen(String chosen) {
        this.chosen = chosen;
    }

    public String getRepeated() {
        return repeated;
    }

    public void setRepeated(String repeated) {
        this.repeated = repeated;
    }
}
