/**
 * Logging off the hot paths: the lines written for every event (its receipt, each attempt) are handed to a thread
 * of their own, which formats them as the console would and writes them in batches, so that neither the webhook's
 * request threads nor the engine's workers wait on the console.
 */
package io.billing.platform.logging;
