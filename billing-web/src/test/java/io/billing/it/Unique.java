package io.billing.it;

import java.util.UUID;

/**
 * Names no other test uses: the integration tests share one deployed service and one database per run, so each
 * test makes its own tenants, orders and events instead of cleaning up others'.
 */
final class Unique {

    private Unique() {
    }

    /** {@code prefix} and 12 random hex digits. */
    static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
