/**
 * The ledger's rules as the embedded H2 database enforces them, where H2 needs Java for it: a trigger class
 * ({@link io.billing.ledger.database.BalancedEntriesTrigger}) that the migration creating the ledger's guards names
 * by its class name. PostgreSQL enforces the same rules with trigger functions of its own (see
 * {@code db.migration.V42__ledger_guards}). Nothing of the application calls into this package, and it uses nothing
 * of the application but the platform: H2 loads it.
 */
package io.billing.ledger.database;
