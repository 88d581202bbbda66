/**
 * Staff accounts: who may use the admin and the operator API, with which role ({@code support} reads,
 * {@code admin} also acts). Passwords are kept as PBKDF2 hashes made by the web tier's Jakarta Security
 * {@code Pbkdf2PasswordHash}; every change is audited.
 */
package io.billing.staff;
