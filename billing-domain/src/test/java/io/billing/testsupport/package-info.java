/**
 * Test helpers shared by every module's tests (published as billing-domain's test-jar): signing like
 * Stripe and reading the shared Stripe event fixtures.
 */
package io.billing.testsupport;
