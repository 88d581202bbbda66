/**
 * Who may use the admin and the operator API, and what every answer tells the browser: Jakarta Security with staff
 * accounts in the database, a login form for the admin's pages (a new session id at the login, the session checked
 * against the account's credential version on each request) and HTTP Basic for the operator API only, roles
 * {@code support} (read) and {@code admin} (act); the password checks and their throttle are the domain's
 * ({@code io.billing.staff.StaffLogins}). Also the client's address behind trusted proxies, the security headers,
 * the session cookie's {@code SameSite}, and the refusals the service's error page answers. The constraints are in
 * {@code WEB-INF/web.xml}.
 */
package io.billing.web.security;
