package io.billing.web.admin;

import java.time.Instant;
import java.util.List;

/**
 * The body of the operator API's actions; each action reads the fields it needs.
 *
 * @param reason   why: kept in the audit log (required to resolve an event)
 * @param eventIds the selection, for a retry of several events
 * @param type     an event type, to retry failed events or re-run processed ones of that type
 * @param since    only events received at or after this time
 * @param tenantId the tenant, for a mapping
 */
public record OperatorRequest(String reason, List<String> eventIds, String type, Instant since, String tenantId) {

    static final OperatorRequest EMPTY = new OperatorRequest(null, List.of(), null, null, null);

    static OperatorRequest orEmpty(OperatorRequest request) {
        return request == null ? EMPTY : request;
    }
}
