/**
 * Data retention: what the service stops keeping, and when. Settled events lose their raw body (names, e-mail
 * addresses, postal addresses) but keep their envelope, status, the body's SHA-256 and the state they produced;
 * old processing attempts lose their error messages and stack traces; delivered outbound messages go with their
 * attempts. The audit log is kept whole.
 *
 * <p>{@link io.billing.retention.DataRetention} runs on one node of the cluster at a time (a
 * {@link io.billing.platform.cluster.ClusterJobLease}), in small transactions keyed by primary keys or key ranges,
 * so it never holds a lock for long and never waits for one a worker or an operator holds.
 */
package io.billing.retention;
