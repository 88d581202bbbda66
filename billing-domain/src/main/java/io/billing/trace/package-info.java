/**
 * Payment traces: from anything support is told (an event, any Stripe id, an e-mail address, a tenant, an invoice
 * number, an order, a checkout attempt, a store order) to the timeline of events, object states, ledger postings,
 * reconciliation records with their history and outbound messages it touched, across tenants (support's view). Each
 * way in is one index lookup. The reconciliation records and the tenants are read as entities through their
 * repositories, a checkout attempt by its key; the inbox's columns its entity leaves out, the outbox (the engine's
 * plain-SQL table) and the tables without an entity are read with native SQL on the same persistence context.
 *
 * <p>{@link io.billing.trace.EventSummaries} sums up any event in one line of plain words from its JSON, for the
 * trace, the events list and an event's page alike.
 */
package io.billing.trace;
