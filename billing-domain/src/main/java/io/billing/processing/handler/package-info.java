/**
 * The engine's contract with the domain: what a handler implements ({@link
 * io.billing.processing.handler.EventHandler}), what it is given ({@link
 * io.billing.processing.handler.HandlingContext}: the claimed event, its parsed JSON, its tenant, the
 * event's transaction, the outbox and the re-queue of parked events), the tenant resolution the engine
 * asks of the domain ({@link io.billing.processing.handler.TenantResolver}), and how a handler says that no retry
 * can mend its event ({@link io.billing.processing.handler.DeadLetterException}).
 *
 * <p>It sits between the inbox and outbox below and the domain above, and knows nothing of the engine that
 * runs it: the domain's handlers depend on this package, never on {@code io.billing.processing} itself.
 */
package io.billing.processing.handler;
