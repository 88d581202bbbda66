/**
 * Database wiring: the application's own data source, defined from MicroProfile Config so that the WAR
 * runs unchanged on a bare {@code java -jar payara-micro.jar --deploy billing-web.war}, the Flyway
 * migrations that own the schema (run while other nodes use it: on PostgreSQL, concurrent index builds and
 * bounded lock waits; {@link io.billing.platform.persistence.SchemaMigration}), and the one persistence unit
 * over that data source ({@link io.billing.platform.persistence.DataAccess}). A {@link
 * io.billing.platform.persistence.UnitOfWork} is one transaction seen both as an EntityManager (the aggregates)
 * and as its JDBC connection (the hot set-based statements); its {@link io.billing.platform.persistence.DeferredWrites}
 * are inserts of rows nothing in the transaction reads back, sent together as JDBC batches at its commit, so that a
 * batch of events costs one round trip per kind of such row rather than one per event; its {@link
 * io.billing.platform.persistence.UnitReads} are look-ups it makes once and remembers until it ends (a customer's
 * tenant, for every event of a batch); {@link io.billing.platform.persistence.StatementParameters} binds the plain
 * values its JDBC statements are given. PostgreSQL in production; an H2 file database in PostgreSQL mode when no
 * database is configured.
 *
 * <p>For the entities: {@link io.billing.platform.persistence.InstantConverter} maps their {@code Instant}s,
 * and {@link io.billing.platform.persistence.DatabaseFailures} lets the services built on the unit throw
 * {@code SQLException}, as those built on JDBC do, and tells a unique-constraint violation.
 *
 * <p>{@link io.billing.platform.persistence.AppendOnlyTrigger} is H2's trigger that refuses every change and removal
 * of a row of an append-only table (the journal's), which PostgreSQL does with a trigger function; H2's triggers
 * find a column in the rows they are handed with {@link io.billing.platform.persistence.TriggerColumns}.
 */
package io.billing.platform.persistence;
