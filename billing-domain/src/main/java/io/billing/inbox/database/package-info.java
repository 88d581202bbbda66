/**
 * The inbox's counts per status, and per hour received and status, as the embedded H2 database keeps them: trigger
 * classes ({@link io.billing.inbox.database.StatusCountTrigger}, {@link io.billing.inbox.database.HourCountTrigger})
 * that the migrations creating the counts ({@code db.migration.V75__inbox_status_counts},
 * {@code db.migration.V80__inbox_hour_counts}) name by their class names. PostgreSQL keeps the same counts with
 * trigger functions of its own. Nothing of the application calls into this package, and it uses nothing of the
 * application but the platform: H2 loads it.
 */
package io.billing.inbox.database;
