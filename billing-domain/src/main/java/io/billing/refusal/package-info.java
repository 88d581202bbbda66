/**
 * The webhook's refused deliveries: when, from where and why each was refused, and how many per hour, kept small
 * whatever is sent ({@link io.billing.refusal.RefusalLog}), and read by the admin and the operator API
 * ({@link io.billing.refusal.RefusedDeliveries}). Never a body or a header.
 */
package io.billing.refusal;
