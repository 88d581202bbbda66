package io.billing.ledger;

import io.billing.tenant.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's journal, in the caller's unit of work (a handler's, so that a posting commits with the event that
 * caused it). Posting is idempotent by (tenant, business key): the second posting of a fact is a no-op that
 * reports false, which is how one payment is revenue once whichever of its events arrive. A fact belongs to one
 * tenant's ledger only: the database refuses it in a second one. The admin's and the
 * operator API's reads are {@link LedgerQueries}.
 */
public interface Ledger {

    /**
     * Posts the balanced entry at {@code postedAt} unless its fact was posted before; true if posted now.
     *
     * @throws CrossTenantPostingException when another tenant's ledger holds the fact: one Stripe fact counts for
     *                                     one tenant only
     */
    boolean post(JournalEntry entry, Instant postedAt);

    /**
     * Posts each entry as {@link #post} does, all at {@code postedAt} and, where the database allows, in one round
     * trip: the business keys of the entries posted now. Each entry is of another fact (business key).
     *
     * @throws CrossTenantPostingException when another tenant's ledger holds one of the facts
     */
    Set<String> postAll(List<JournalEntry> entries, Instant postedAt);

    /** The tenant's entry for a fact, with its lines; empty if the fact was not posted for this tenant. */
    Optional<PostedEntry> entry(TenantId tenant, String businessKey);
}
