/** The audit log of manual actions: event retries and resolutions, tenant mapping changes. */
package io.billing.audit;
