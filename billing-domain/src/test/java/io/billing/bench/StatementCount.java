package io.billing.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts the statements a data source's users send, by SQL text: each execution and each row added to a batch
 * is one, and each batch sent is one round trip. A figure no other load on the machine changes, unlike a time.
 */
final class StatementCount {

    private final Map<String, LongAdder> executions = new ConcurrentHashMap<>();
    private final LongAdder roundTrips = new LongAdder();

    /** The data source, each connection it gives counted here. */
    DataSource counting(DataSource target) {
        return proxy(DataSource.class, target, (method, result, args) ->
                result instanceof Connection connection ? proxy(Connection.class, connection, this::onConnection)
                        : result);
    }

    void reset() {
        executions.clear();
        roundTrips.reset();
    }

    long roundTrips() {
        return roundTrips.sum();
    }

    /** The statements sent most often, each with its count divided by {@code per}. */
    String top(int limit, double per) {
        StringBuilder out = new StringBuilder();
        executions.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .limit(limit)
                .forEach(e -> out.append(String.format(java.util.Locale.ROOT, "  %6.2f  %s%n", e.getValue().sum() / per,
                        e.getKey().replaceAll("\\s+", " ").substring(0, Math.min(150, e.getKey().replaceAll("\\s+", " ").length())))));
        return out.toString();
    }

    private Object onConnection(Method method, Object result, Object[] args) {
        if (method.getName().equals("prepareCall")) {
            return result;
        }
        if (result instanceof PreparedStatement prepared && args != null && args.length > 0 && args[0] instanceof String sql) {
            return proxy(PreparedStatement.class, prepared, (m, r, a) -> {
                switch (m.getName()) {
                    case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" -> {
                        count(sql);
                        roundTrips.increment();
                    }
                    case "addBatch" -> count(sql);
                    case "executeBatch", "executeLargeBatch" -> roundTrips.increment();
                    default -> {
                    }
                }
                return r;
            });
        }
        if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
            return proxy(Statement.class, statement, (m, r, a) -> {
                if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
                    count(sql);
                    roundTrips.increment();
                }
                return r;
            });
        }
        if (method.getName().equals("commit")) {
            count("COMMIT");
            roundTrips.increment();
        }
        return result;
    }

    private void count(String sql) {
        executions.computeIfAbsent(sql, s -> new LongAdder()).increment();
    }

    private interface After {
        Object apply(Method method, Object result, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler handler = (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, result, args);
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }
}
