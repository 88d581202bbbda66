/**
 * Who may use the admin and the operator API: Jakarta Security with staff accounts in the database
 * (PBKDF2 hashes), a login form for the admin's pages and HTTP Basic for the API, roles {@code support}
 * (read) and {@code admin} (act). The constraints are in {@code WEB-INF/web.xml}.
 */
package io.billing.web.security;
