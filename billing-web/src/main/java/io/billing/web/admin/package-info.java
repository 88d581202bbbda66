/**
 * The operator REST API ({@code /api/admin/…}): events, their attempts and the manual operations on them,
 * and tenant mappings. For scripts and runbooks; the admin UI calls the same domain services.
 */
package io.billing.web.admin;
