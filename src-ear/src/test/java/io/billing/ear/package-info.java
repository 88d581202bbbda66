/**
 * The EAR on a full-profile server: {@link io.billing.ear.EarOnPayaraServerIT} unpacks Payara Server from Maven
 * Central, creates a domain of its own, deploys {@code billing.ear} and follows one signed Stripe event from the
 * webhook to the processing engine's verdict, as an operator would see it.
 */
package io.billing.ear;
