package io.billing.admin;

import io.billing.ledger.Money;
import io.billing.ledger.MoneyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * Amounts on every page, written one way, by the domain's {@link MoneyFormat} ({@code $1,234.56}, {@code ¥500},
 * {@code KWD 5.120}): {@code #{money.format(b.normalBalance())}} for the ledger's money,
 * {@code #{money.minor(p.amount(), p.currency())}} for Stripe's pair of minor units and currency. Nothing (an empty
 * text) where there is no amount.
 */
@Named("money")
@ApplicationScoped
public class MoneyBean {

    public String format(Money money) {
        return money == null ? "" : MoneyFormat.format(money);
    }

    /**
     * @param minorUnits a number, or null; taken as an object so that the page's expression language hands a missing
     *                   amount over as null rather than as 0
     */
    public String minor(Object minorUnits, String currency) {
        String shown = minorUnits instanceof Number number ? MoneyFormat.format(number.longValue(), currency) : null;
        return shown == null ? "" : shown;
    }
}
