/**
 * Payment traces: from any id to the timeline of events, object states, ledger postings, reconciliation records
 * and outbound messages it touched, across tenants (support's view). The reconciliation records and the tenants
 * are read as entities through their repositories; the inbox's columns its entity leaves out, the outbox (the
 * engine's plain-SQL table) and the tables without an entity are read with native SQL on the same persistence
 * context.
 */
package io.billing.trace;
