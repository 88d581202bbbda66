/**
 * Sending to addresses that someone outside the operators chose (tenants' callback URLs): which destinations are
 * public ({@link io.billing.platform.net.Destinations}), and an HTTP POST that connects to exactly the address that
 * was checked, follows no redirect and reports a failure by its kind only
 * ({@link io.billing.platform.net.PinnedHttpPost}). Knows nothing of the application.
 */
package io.billing.platform.net;
