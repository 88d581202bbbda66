/**
 * Integration tests ({@code *IT}, run by failsafe) against the real WAR on a real Payara Micro, over real
 * HTTP, with a real database: PostgreSQL in one failsafe execution (through a TCP proxy the tests can
 * cut) and the embedded H2 default in another.
 *
 * <p>Payara Micro is started once per run, not once per test class: {@link io.billing.it.SuiteScopedPayaraMicro}
 * wraps Payara's Arquillian container so that every test class shares the first deployment, and it
 * prepares the database and the configuration ({@link io.billing.it.TestEnvironment}) before that start.
 */
package io.billing.it;
