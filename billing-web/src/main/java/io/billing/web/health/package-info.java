/**
 * MicroProfile Health checks: liveness (the service runs) and readiness (the database answers and the work
 * queue is not stuck), at {@code /health/live} and {@code /health/ready}.
 */
package io.billing.web.health;
