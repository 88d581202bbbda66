/**
 * The audit log of manual actions (event retries and resolutions, tenant mapping changes, staff accounts,
 * catalogue edits …) and of the mappings the engine learns: {@link io.billing.audit.AuditEntry}, an
 * immutable JPA entity, and {@link io.billing.audit.AuditLog}, its repository ({@link
 * io.billing.audit.JpaAuditLog} on the persistence unit), read by the admin through {@link
 * io.billing.audit.AuditQueries}.
 *
 * <p>Services that work in a JPA unit of work append entries through the repository, which sends them with the
 * unit's batched rows when it commits. The operator services over the inbox and outbox keep plain JDBC transactions,
 * without a persistence context, and append with {@link io.billing.audit.AuditLog#record}, which checks the entry the
 * same way and writes it with SQL.
 */
package io.billing.audit;
