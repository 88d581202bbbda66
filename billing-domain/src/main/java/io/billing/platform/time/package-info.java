/** The application's clock, injected everywhere time matters so tests can travel in time. */
package io.billing.platform.time;
