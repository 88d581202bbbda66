package io.billing.web.security;

import io.billing.staff.StaffAccount;

import java.io.Serializable;
import java.util.Set;

/**
 * A staff member's login as the HTTP session keeps it: who, with which role, and the account's credential version at
 * the login, which each request compares with the account's current one (a changed password or a disabled account
 * ends the session, on every node).
 */
record StaffSession(String username, String role, long credentialVersion) implements Serializable {

    /** The session attribute it is kept under. */
    static final String ATTRIBUTE = StaffSession.class.getName();

    /** An admin is in both groups, because an admin may do all that support does. */
    Set<String> groups() {
        return StaffAccount.ADMIN.equals(role) ? Set.of(StaffAccount.ADMIN, StaffAccount.SUPPORT)
                : Set.of(StaffAccount.SUPPORT);
    }
}
