/**
 * The service started as a separate process, exactly as the README and an operator start it: for the benchmarks
 * and for the cluster test, which need the real process (its own JVM, its own port, killable) rather than the
 * Arquillian-managed one.
 */
package io.billing.service;
