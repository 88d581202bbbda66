package io.billing.admin;

import jakarta.el.ELContext;
import jakarta.el.ELException;
import jakarta.el.ELResolver;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls the methods without arguments that the pages call on the rows they show ({@code #{e.eventId()}},
 * {@code #{pay.totals().net()}}: the domain's views are records, whose components EL 5 reads only as methods),
 * each found once per class and name. The EL implementation's own resolver looks the method up among all of the
 * class's public methods on every call, copying each of them: on the trace of a customer, 100 events and 50 payments
 * with their postings, that was about a quarter of the time the page took to render.
 *
 * <p>Only a call without arguments of a public instance method is resolved here; anything else (arguments to convert,
 * a static method, a method it cannot reach) is left to the resolvers after it, which then behave as without this
 * one. Registered in {@code META-INF/faces-config.xml}.
 */
public final class AccessorResolver extends ELResolver {

    /** Per class, its public methods without parameters by name; empty where there is none (or it cannot be called). */
    private static final ClassValue<Map<String, Optional<Method>>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || !(method instanceof String name) || (params != null && params.length > 0)
                || (paramTypes != null && paramTypes.length > 0)) {
            return null;
        }
        Map<String, Optional<Method>> accessors = ACCESSORS.get(base.getClass());
        Optional<Method> accessor = accessors.computeIfAbsent(name, n -> find(base, n));
        if (accessor.isEmpty()) {
            return null;
        }
        Object value;
        try {
            value = accessor.get().invoke(base);
        } catch (IllegalAccessException unreachable) {
            accessors.put(name, Optional.empty()); // left to the next resolvers from now on
            return null;
        } catch (InvocationTargetException failed) {
            throw new ELException(failed.getCause());
        }
        context.setPropertyResolved(base, method);
        return value;
    }

    /**
     * The public method of that name without parameters that can be called from here: the class's own, else the one
     * it implements of a public supertype (a list of {@code List.of} is of a class that is not public, its
     * {@code size()} is called as {@code List}'s).
     */
    private static Optional<Method> find(Object base, String name) {
        Deque<Class<?>> types = new ArrayDeque<>(List.of(base.getClass()));
        Set<Class<?>> seen = new HashSet<>();
        while (!types.isEmpty()) {
            Class<?> type = types.poll();
            if (!seen.add(type)) {
                continue;
            }
            try {
                Method found = type.getMethod(name);
                if (Modifier.isStatic(found.getModifiers())) {
                    return Optional.empty(); // a class's own method, not the row's: the next resolvers' call
                }
                if (found.canAccess(base)) {
                    return Optional.of(found);
                }
            } catch (NoSuchMethodException | SecurityException none) {
                continue; // nor has any of its supertypes
            }
            if (type.getSuperclass() != null) {
                types.add(type.getSuperclass());
            }
            types.addAll(List.of(type.getInterfaces()));
        }
        return Optional.empty();
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Sets nothing: properties are the resolvers after this one's.
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
