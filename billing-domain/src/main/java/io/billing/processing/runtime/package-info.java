/**
 * Container wiring of the engine: configuration from MicroProfile Config, the engine and outbox
 * dispatcher on managed threads, and producers that make the plain-Java services injectable.
 */
package io.billing.processing.runtime;
