/**
 * The composition root: where the application is put together in the container. Configuration from
 * MicroProfile Config, CDI producers that make the plain-Java services injectable, the event handlers
 * switched on by configuration, and the processing runtime that starts the engine, the outbox dispatcher,
 * the missed-event recovery and data retention on managed threads.
 *
 * <p>The top of the domain's layers: it may use every package below it, and only the web and admin
 * modules use it. The event handlers are not listed here: they are CDI beans that {@link
 * io.billing.composition.ProcessingRuntime} discovers; {@link io.billing.composition.EventHandlers} builds
 * the same set for tests that run the engine without a container.
 */
package io.billing.composition;
