package io.billing.processing.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Where several handlers apply one event type, the engine runs them in ascending order of this value, one
 * after the other in the event's transaction. The order is the handler's own, not that of whoever
 * registers it: the container discovers handlers in no specified order, and every node and every test must
 * apply an event the same way (transactions that touch the same rows then also take their locks table by
 * table in the same order). A handler without it runs after those with it.
 *
 * <p>The application's handlers keep what Stripe said first (catalogue, object snapshots, subscriptions),
 * then what follows from it (paid periods, ledger postings, entitlement summaries, reconciliation records),
 * and write their messages to tenants last.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HandlerOrder {

    int value();
}
