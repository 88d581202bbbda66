/**
 * Secrets the service must keep and use again, sealed before they reach the database
 * ({@link io.billing.platform.crypto.SecretBox}: AES-256-GCM under a key from configuration), so that a copy of
 * the database alone reveals none of them.
 */
package io.billing.platform.crypto;
