package io.billing.ledger;

import io.billing.processing.handler.DeadLetterException;

import java.util.List;

/**
 * A fact was to be posted in one tenant's ledger while another tenant's ledger holds it: the same Stripe payment,
 * invoice or refund would count for two tenants. It happens when a customer's mapping changed after the fact was
 * posted and an event of it runs again. The database refuses the second entry ({@code uq_journal_entry_source}); the
 * event that tried fails as a whole and goes to the dead letter, since running it again cannot change whose ledger
 * holds the fact: an operator maps the customer back and retries it, or resolves it (the fact stays where it was
 * posted).
 */
public final class CrossTenantPostingException extends DeadLetterException {

    CrossTenantPostingException(String businessKey, String tenantId, List<String> owners) {
        super(businessKey + " is already in the ledger of " + String.join(", ", owners) + "; not posted for "
                + tenantId + " (a Stripe fact counts for one tenant only: was the customer mapped to another tenant"
                + " after it was posted?)");
    }
}
