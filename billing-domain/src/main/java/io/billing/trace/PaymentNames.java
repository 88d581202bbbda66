package io.billing.trace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What people call the payments of Stripe charges and payment intents ({@link EventSummaries#paymentName}: its
 * invoice number, else its order), from their reconciliation records, for the lines of a page of events whose refunds
 * and disputes name their payment by those ids only. One statement for a whole page, on the indexes of the records'
 * payment intent and charge.
 */
public final class PaymentNames {

    /** Plain SQL on the caller's connection: the events' pages are read with JDBC, outside any persistence context. */
    private static final String SQL = "SELECT payment_intent_id, charge_id, invoice_number, order_id"
            + " FROM reconciliation_record WHERE payment_intent_id IN (%1$s) OR charge_id IN (%1$s)";
    /** Ids per statement, well below what either database takes as parameters of one statement. */
    private static final int IN_LIST = 500;

    private PaymentNames() {
    }

    /** The name of each id's payment, by the id; an id of no payment with a name is left out. */
    public static Map<String, String> of(Connection connection, Collection<String> stripeIds) throws SQLException {
        Map<String, String> names = new HashMap<>();
        List<String> ids = new ArrayList<>(stripeIds);
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement(SQL.formatted(marks))) {
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 1, chunk.get(i));
                    query.setString(chunk.size() + i + 1, chunk.get(i));
                }
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        name(names, row.getString(1), row.getString(2), row.getString(3), row.getString(4));
                    }
                }
            }
        }
        return names;
    }

    /** Adds the name of a payment (if it has one) under its payment intent and its charge. */
    static void name(Map<String, String> names, String paymentIntent, String charge, String invoiceNumber,
                     String orderId) {
        String name = EventSummaries.paymentName(invoiceNumber, orderId);
        if (name == null) {
            return;
        }
        if (paymentIntent != null) {
            names.putIfAbsent(paymentIntent, name);
        }
        if (charge != null) {
            names.putIfAbsent(charge, name);
        }
    }
}
