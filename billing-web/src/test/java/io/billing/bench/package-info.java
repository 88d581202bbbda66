/**
 * The webhook intake benchmark: a standalone program (not a test, run with {@code ./mvnw -Pbench verify})
 * that sends signed, unique Stripe events to {@code POST /api/stripe/webhook} over keep-alive connections
 * and reports throughput and latency percentiles per concurrency level, then checks that every event
 * answered 200 is in the inbox table.
 */
package io.billing.bench;
