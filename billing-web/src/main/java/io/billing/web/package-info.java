/**
 * The HTTP face of the service: the JAX-RS application under {@code /api} and start-up reporting.
 * This module is the one deployable WAR; it bundles {@code billing-domain} and {@code billing-admin}.
 */
package io.billing.web;
