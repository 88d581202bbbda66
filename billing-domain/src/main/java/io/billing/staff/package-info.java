/**
 * Staff accounts: who may use the admin and the operator API, with which role ({@code support} reads,
 * {@code admin} also acts). {@link io.billing.staff.StaffAccount} is a JPA entity with its repository
 * ({@link io.billing.staff.StaffAccountRepository}, {@link io.billing.staff.JpaStaffAccountRepository});
 * {@link io.billing.staff.StaffAccounts} is what the logins and the admin use, and audits every change in the
 * change's own transaction. Passwords are kept as PBKDF2-HMAC-SHA256 hashes ({@link io.billing.staff.StaffPasswords}).
 * {@link io.billing.staff.StaffLogins} checks a password behind the {@link io.billing.staff.LoginThrottle}, which
 * slows guessing per name and per address on every node through the database. Each account carries a credential
 * version that ends its sessions when its password changes or it is disabled.
 */
package io.billing.staff;
