/**
 * Test helpers shared by every module's tests (published as billing-domain's test-jar): signing like
 * Stripe, reading the shared Stripe event fixtures, and the same story's objects in older API versions' shapes.
 */
package io.billing.testsupport;
