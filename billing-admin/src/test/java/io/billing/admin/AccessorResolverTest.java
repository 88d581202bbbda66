package io.billing.admin;

import jakarta.el.ELContext;
import jakarta.el.ELException;
import jakarta.el.ELResolver;
import jakarta.el.FunctionMapper;
import jakarta.el.VariableMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pages' calls without arguments: resolved here when they can be, left to the next resolvers when not. */
class AccessorResolverTest {

    public record Row(String eventId, long amount) {
        public String failing() {
            throw new IllegalStateException("no line");
        }

        public String twice(String text) {
            return text + text;
        }

        public static Row empty() {
            return new Row("", 0L);
        }
    }

    private final AccessorResolver resolver = new AccessorResolver();

    @Test
    void aRecordsComponentsAndMethodsAreCalledAndTheCallIsResolved() {
        Row row = new Row("evt_1", 2900L);
        for (int call = 0; call < 2; call++) { // the first finds the method, the second reuses it
            ELContext context = context();
            assertEquals("evt_1", resolver.invoke(context, row, "eventId", null, null));
            assertTrue(context.isPropertyResolved());
        }
        ELContext context = context();
        assertEquals(2900L, resolver.invoke(context, row, "amount", new Class<?>[0], new Object[0]));
        assertTrue(context.isPropertyResolved());
        ELContext size = context();
        assertEquals(2, resolver.invoke(size, List.of(row, row), "size", null, null),
                "a method of a class that is not public, called as its public interface's");
        assertTrue(size.isPropertyResolved());
    }

    @Test
    void whatItCannotCallIsLeftToTheNextResolvers() {
        for (Object[] call : new Object[][] {{new Row("evt_1", 1L), "twice", new Object[] {"a"}},
                {new Row("evt_1", 1L), "noSuchMethod", null}, {new Row("evt_1", 1L), "empty", null},
                {null, "eventId", null}}) {
            ELContext context = context();
            assertNull(resolver.invoke(context, call[0], call[1], null, (Object[]) call[2]));
            assertFalse(context.isPropertyResolved(), String.valueOf(call[1]));
        }
    }

    @Test
    void aMethodsFailureReachesThePageAsAnElFailureWithItsCause() {
        ELException failure = assertThrows(ELException.class,
                () -> resolver.invoke(context(), new Row("evt_1", 1L), "failing", null, null));
        assertSame(IllegalStateException.class, failure.getCause().getClass());
    }

    private static ELContext context() {
        return new ELContext() {
            @Override
            public ELResolver getELResolver() {
                return null;
            }

            @Override
            public FunctionMapper getFunctionMapper() {
                return null;
            }

            @Override
            public VariableMapper getVariableMapper() {
                return null;
            }
        };
    }
}
