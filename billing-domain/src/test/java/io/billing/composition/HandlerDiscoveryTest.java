package io.billing.composition;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.billing.notification.TenantNotifications;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.testsupport.TestSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The handlers the engine tests build without a container ({@link EventHandlers}) are the ones the
 * container discovers: every concrete handler class with a bean-defining annotation, and every handler
 * type a producer makes. Read from the compiled classes, as the container reads them; that the container
 * really finds and injects them is shown by the integration tests, whose events run through them.
 */
class HandlerDiscoveryTest {

    /** The bean-defining annotations a handler class may carry in a bean archive in annotated mode. */
    private static final List<Class<? extends Annotation>> BEAN_DEFINING = List.of(Dependent.class,
            ApplicationScoped.class, RequestScoped.class);

    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.billing");

    @Test
    void theFactoryBuildsEveryHandlerTheContainerDiscovers() {
        Set<String> built = EventHandlers.all(EventHandlers.Switches.none()
                        .withEveryConnector(TestSecrets.licenceKeys()).withTenantNotifications()).stream()
                .map(handler -> handler.getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(discoveredByTheContainer(), built);
    }

    @Test
    void everyHandlerHasAPlaceOfItsOwnInTheOrder() {
        Map<Integer, String> byPlace = new HashMap<>();
        for (String handler : discoveredByTheContainer()) {
            HandlerOrder order = APPLICATION.get(handler).reflect().getAnnotation(HandlerOrder.class);
            assertNotNull(order, handler + " needs a @HandlerOrder: several handlers share event types");
            assertNull(byPlace.put(order.value(), handler), "two handlers at " + order.value());
        }
    }

    @Test
    void tenantNotificationsRunOnlyWhereTheirReceiverIsConfigured() {
        assertFalse(EventHandlers.all(EventHandlers.Switches.none()).stream()
                .anyMatch(TenantNotifications.class::isInstance));
        assertEquals(1, EventHandlers.all(EventHandlers.Switches.none().withTenantNotifications()).stream().filter(TenantNotifications.class::isInstance).count());
    }

    /** The handler classes CDI makes beans of: by their class, or as what a producer method or field returns. */
    private static Set<String> discoveredByTheContainer() {
        Set<String> handlers = new TreeSet<>();
        for (JavaClass type : APPLICATION) {
            if (type.isAssignableTo(EventHandler.class) && !type.isInterface()
                    && !type.getModifiers().contains(JavaModifier.ABSTRACT)
                    && BEAN_DEFINING.stream().anyMatch(type::isAnnotatedWith)) {
                handlers.add(type.getName());
            }
            type.getMethods().stream().filter(method -> method.isAnnotatedWith(Produces.class))
                    .map(method -> method.getRawReturnType()).filter(made -> made.isAssignableTo(EventHandler.class))
                    .forEach(made -> handlers.add(made.getName()));
            type.getFields().stream().filter(field -> field.isAnnotatedWith(Produces.class))
                    .map(field -> field.getRawType()).filter(made -> made.isAssignableTo(EventHandler.class))
                    .forEach(made -> handlers.add(made.getName()));
        }
        return handlers;
    }
}
