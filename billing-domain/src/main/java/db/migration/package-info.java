/**
 * Flyway's Java migrations, for the few schema changes that plain SQL cannot say for both PostgreSQL and H2. They sit
 * in Flyway's own location ({@code db/migration}, beside the SQL migrations in the resources) so that every place that
 * migrates finds them.
 */
package db.migration;
