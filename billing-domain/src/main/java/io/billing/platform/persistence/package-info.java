/**
 * Database wiring: the application's own data source, defined from MicroProfile Config so that the WAR
 * runs unchanged on a bare {@code java -jar payara-micro.jar --deploy billing-web.war}, and the Flyway
 * migrations that own the schema. PostgreSQL in production; an H2 file database in PostgreSQL mode when
 * no database is configured.
 */
package io.billing.platform.persistence;
