package io.billing.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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

    /** One journal entry with its lines, amounts in the entry's currency. */
    public record Entry(long entryId, String businessKey, String sourceEventId, String description,
                        Instant postedAt, Currency currency, List<Line> lines) {
    }

    /** One line of an entry: a debit or a credit (the other side is zero). */
    public record Line(LedgerAccount account, Money debit, Money credit) {
    }

    /** A page of a tenant's journal, newest entry first. */
    public record Journal(List<Entry> entries, int page, int size, long total) {
    }

    private static final String JOURNAL_SQL = "SELECT e.entry_id, e.business_key, e.source_event_id, e.description,"
            + " e.posted_at, e.currency, l.account, l.debit, l.credit"
            + " FROM (SELECT * FROM journal_entry WHERE tenant_id = ? ORDER BY entry_id DESC LIMIT ? OFFSET ?) e"
            + " JOIN journal_line l ON l.entry_id = e.entry_id ORDER BY e.entry_id DESC, l.line_no";

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

    /** The tenant's journal, newest entries first, paged (pages count from 0). */
    public Journal journal(String tenantId, int page, int size) throws SQLException {
        if (page < 0 || size < 1 || size > 1000) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and 1000");
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM journal_entry WHERE tenant_id = ?")) {
                count.setString(1, tenantId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            Map<Long, Entry> entries = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(JOURNAL_SQL)) {
                query.setString(1, tenantId);
                query.setInt(2, size);
                query.setLong(3, (long) page * size);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        long id = row.getLong(1);
                        Currency currency = Money.currency(row.getString(6));
                        Entry entry = entries.get(id);
                        if (entry == null) {
                            entry = new Entry(id, row.getString(2), row.getString(3), row.getString(4),
                                    row.getTimestamp(5).toInstant(), currency, new ArrayList<>());
                            entries.put(id, entry);
                        }
                        entry.lines().add(new Line(LedgerAccount.valueOf(row.getString(7)),
                                new Money(row.getLong(8), currency), new Money(row.getLong(9), currency)));
                    }
                }
            }
            return new Journal(List.copyOf(entries.values()), page, size, total);
        }
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
