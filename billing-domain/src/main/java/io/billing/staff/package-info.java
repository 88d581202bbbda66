/**
 * Staff accounts: who may use the admin and the operator API, with which role ({@code support} reads,
 * {@code admin} also acts). {@link io.billing.staff.StaffAccount} is a JPA entity with its repository
 * ({@link io.billing.staff.StaffAccountRepository}, {@link io.billing.staff.JpaStaffAccountRepository});
 * {@link io.billing.staff.StaffAccounts} is what the identity store and the admin use, and audits every
 * change in the change's own transaction. Passwords are kept as PBKDF2 hashes made by the web tier's
 * Jakarta Security {@code Pbkdf2PasswordHash} ({@link io.billing.staff.StaffPasswords}).
 */
package io.billing.staff;
