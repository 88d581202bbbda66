/** What the service says of its own health: whether the database answers and whether the work queue moves. */
package io.billing.platform.health;
