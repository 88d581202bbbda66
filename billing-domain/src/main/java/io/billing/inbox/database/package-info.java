/**
 * The inbox's counts per status as the embedded H2 database keeps them: a trigger class
 * ({@link io.billing.inbox.database.StatusCountTrigger}) that the migration creating the counts
 * ({@code db.migration.V75__inbox_status_counts}) names by its class name. PostgreSQL keeps the same counts with
 * trigger functions of its own. Nothing of the application calls into this package, and it uses nothing of the
 * application but the platform: H2 loads it.
 */
package io.billing.inbox.database;
