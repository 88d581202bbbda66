package io.billing.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Reads a tenant's ledger: balances per currency and account, and the trial balance. Always by tenant. */
public class LedgerQueries {

    /**
     * The balance of one account: debits minus credits, so assets and expenses are positive and revenue
     * negative; {@link #normalBalance} shows each on its normal side.
     */
    public record AccountBalance(LedgerAccount account, Money debits, Money credits) {
        public Money balance() {
            return debits.minus(credits);
        }

        public Money normalBalance() {
            return account.normalSide() == LedgerAccount.Side.DEBIT ? balance() : balance().negate();
        }
    }

    private static final String BALANCES_SQL = """
            SELECT currency, account, SUM(debit), SUM(credit) FROM journal_line
            WHERE tenant_id = ? GROUP BY currency, account ORDER BY currency, account""";

    private final DataSource dataSource;

    public LedgerQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every account with postings, per currency (currencies in code order). */
    public Map<Currency, Map<LedgerAccount, AccountBalance>> balances(String tenantId) throws SQLException {
        Map<Currency, Map<LedgerAccount, AccountBalance>> balances = new TreeMap<>(
                (a, b) -> a.getCurrencyCode().compareTo(b.getCurrencyCode()));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(BALANCES_SQL)) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    Currency currency = Money.currency(row.getString(1));
                    LedgerAccount account = LedgerAccount.valueOf(row.getString(2));
                    balances.computeIfAbsent(currency, c -> new EnumMap<>(LedgerAccount.class))
                            .put(account, new AccountBalance(account, new Money(row.getLong(3), currency),
                                    new Money(row.getLong(4), currency)));
                }
            }
        }
        return balances;
    }

    /** Per currency, the sum of every account's debits minus credits: zero in a sound ledger. */
    public List<Money> trialBalance(String tenantId) throws SQLException {
        List<Money> sums = new ArrayList<>();
        for (Map.Entry<Currency, Map<LedgerAccount, AccountBalance>> perCurrency : balances(tenantId).entrySet()) {
            Money sum = Money.zero(perCurrency.getKey());
            for (AccountBalance balance : perCurrency.getValue().values()) {
                sum = sum.plus(balance.balance());
            }
            sums.add(sum);
        }
        return sums;
    }
}
