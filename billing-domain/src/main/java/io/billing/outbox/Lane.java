package io.billing.outbox;

/**
 * Where an outbox message waits its turn: its destination, or for a destination that sends each tenant to a
 * receiver of its own (tenant callbacks), the destination and the tenant. A slow or failing receiver fills its
 * own lane only.
 *
 * @param destination the message's destination
 * @param tenantId    the tenant, for a lane per tenant ({@code ""} for a message without one); null otherwise
 */
public record Lane(String destination, String tenantId) {

    public Lane {
        if (destination == null) {
            throw new IllegalArgumentException("a lane has a destination");
        }
    }

    /** Whether this is one tenant's lane of its destination. */
    public boolean perTenant() {
        return tenantId != null;
    }

    @Override
    public String toString() {
        return perTenant() ? destination + "/" + tenantId : destination;
    }
}
