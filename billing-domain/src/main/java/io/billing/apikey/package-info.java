/**
 * API keys for the SaaS application's APIs: named, several at once (so one is rotated without downtime), each with
 * scopes ({@link io.billing.apikey.ApiScope}) and optionally bound to one tenant, revoked at once, with its last use
 * recorded. {@link io.billing.apikey.ApiKey} is a JPA entity with its repository
 * ({@link io.billing.apikey.ApiKeyRepository}, {@link io.billing.apikey.JpaApiKeyRepository}); only a SHA-256 of each
 * key is stored. {@link io.billing.apikey.ApiKeys} is what the web and the admin use: it creates and revokes keys
 * (audited in the change's own transaction) and tells who a presented key is ({@link io.billing.apikey.ApiCaller}),
 * the legacy service token included.
 */
package io.billing.apikey;
