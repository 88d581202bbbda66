package io.billing.ledger;

import io.billing.platform.persistence.DataAccess;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a tenant's ledger for the admin and the operator API: balances per currency and account, the trial
 * balance and the journal. JPQL named queries of {@link PostedEntry} and {@link PostedLine}, each with the tenant
 * and each served by an index of the journal; read-only, on an EntityManager of their own.
 */
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

        /** What the entry moves: the sum of its debits, which equals its credits'. */
        public Money amount() {
            Money sum = Money.zero(currency);
            for (Line line : lines) {
                sum = sum.plus(line.debit());
            }
            return sum;
        }
    }

    /** One line of an entry: a debit or a credit (the other side is zero). */
    public record Line(LedgerAccount account, Money debit, Money credit) {
    }

    /** A page of a tenant's journal, newest entry first. */
    public record Journal(List<Entry> entries, int page, int size, long total) {
    }

    private final DataAccess data;

    public LedgerQueries(DataAccess data) {
        this.data = data;
    }

    /** Every account with postings, per currency (currencies in code order). */
    public Map<Currency, Map<LedgerAccount, AccountBalance>> balances(String tenantId) {
        TenantId tenant = TenantId.of(tenantId);
        List<Object[]> sums = data.read(em -> em.createNamedQuery(PostedLine.BALANCES, Object[].class)
                .setParameter("tenant", tenant).getResultList());
        Map<Currency, Map<LedgerAccount, AccountBalance>> balances = new TreeMap<>(
                Comparator.comparing(Currency::getCurrencyCode));
        for (Object[] row : sums) {
            Currency currency = (Currency) row[0];
            LedgerAccount account = (LedgerAccount) row[1];
            balances.computeIfAbsent(currency, c -> new EnumMap<>(LedgerAccount.class))
                    .put(account, new AccountBalance(account, new Money(((Number) row[2]).longValue(), currency),
                            new Money(((Number) row[3]).longValue(), currency)));
        }
        return balances;
    }

    /** The tenant's journal, newest entries first, paged (pages count from 0). */
    public Journal journal(String tenantId, int page, int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and 1000");
        }
        TenantId tenant = TenantId.of(tenantId);
        return data.read(em -> {
            long total = em.createNamedQuery(PostedEntry.COUNT, Long.class).setParameter("tenant", tenant)
                    .getSingleResult();
            List<Long> ids = em.createNamedQuery(PostedEntry.NEWEST_IDS, Long.class).setParameter("tenant", tenant)
                    .setFirstResult(Math.toIntExact((long) page * size)).setMaxResults(size).getResultList();
            return new Journal(ids.isEmpty() ? List.of() : entries(em, tenant, ids), page, size, total);
        });
    }

    /** The entries of these ids with their lines, in the order of the ids. */
    private static List<Entry> entries(EntityManager em, TenantId tenant, List<Long> ids) {
        Map<Long, Entry> byId = new LinkedHashMap<>();
        for (PostedEntry posted : em.createNamedQuery(PostedEntry.WITH_LINES, PostedEntry.class)
                .setParameter("tenant", tenant).setParameter("ids", ids).getResultList()) {
            byId.computeIfAbsent(posted.id(), id -> new Entry(id, posted.businessKey(), posted.sourceEventId(),
                    posted.description(), posted.postedAt(), posted.currency(), posted.lines().stream()
                    .map(line -> new Line(line.account(), line.debit(), line.credit())).toList()));
        }
        List<Entry> entries = new ArrayList<>(ids.size());
        for (Long id : ids) {
            entries.add(byId.get(id));
        }
        return entries;
    }

    /** Per currency, the sum of every account's debits minus credits: zero in a sound ledger. */
    public List<Money> trialBalance(String tenantId) {
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
