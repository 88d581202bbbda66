/** Payment traces: from any id to the timeline of events, object states and ledger postings it touched. */
package io.billing.trace;
