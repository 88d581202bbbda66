/**
 * The application's clocks: the node's {@link java.time.Clock}, injected everywhere time matters so tests can
 * travel in time, and the {@link io.billing.platform.time.DatabaseClock} that leases and due times are read from,
 * shared by every node whatever their own clocks say.
 */
package io.billing.platform.time;
