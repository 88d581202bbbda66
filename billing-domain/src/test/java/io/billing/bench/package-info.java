/** Benchmarks of the domain's engine on PostgreSQL, run with {@code ./mvnw -Pbench verify}. */
package io.billing.bench;
