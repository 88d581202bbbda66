package io.billing.testsupport;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.billing.processing.handler.EventHandler;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The application's layers, bottom to top, and the rules that hold them (docs/design.md describes them).
 * billing-domain's {@code LayeringTest} checks them on its own classes; billing-web's
 * {@code ModuleLayeringTest} on every module's together, with the web and the admin on top.
 */
public final class LayeringRules {

    public static final String PLATFORM = "Platform";
    public static final String STRIPE_FORMATS = "Stripe formats";
    public static final String INBOX_AND_OUTBOX = "Inbox and outbox";
    public static final String HANDLER_CONTRACT = "Handler contract";
    public static final String DOMAIN = "Domain";
    public static final String ENGINE = "Engine";
    public static final String COMPOSITION_ROOT = "Composition root";
    public static final String WEB = "Web";
    public static final String ADMIN = "Admin";

    /** Bottom to top: each layer may be used by the layers above it and by no other. */
    static final List<String> BOTTOM_TO_TOP = List.of(PLATFORM, STRIPE_FORMATS, INBOX_AND_OUTBOX, HANDLER_CONTRACT,
            DOMAIN, ENGINE, COMPOSITION_ROOT, WEB, ADMIN);

    /** Data source, transactions, leased work queue, retry policy, clock, cluster leases; Flyway's Java migrations. */
    static final DescribedPredicate<JavaClass> PLATFORM_CLASSES =
            resideInAnyPackage("io.billing.platform..", "db.migration..").as("the platform");
    /** What Stripe sends and how it is read and signed; the Stripe packages of the domain excepted. */
    static final DescribedPredicate<JavaClass> STRIPE_FORMAT_CLASSES = resideInAPackage("io.billing.stripe..")
            .and(not(resideInAnyPackage("io.billing.stripe.api..", "io.billing.stripe.objects..")))
            .as("Stripe's formats");
    static final DescribedPredicate<JavaClass> INBOX_AND_OUTBOX_CLASSES =
            resideInAnyPackage("io.billing.inbox..", "io.billing.outbox..").as("the inbox and the outbox");
    static final DescribedPredicate<JavaClass> HANDLER_CONTRACT_CLASSES =
            resideInAPackage("io.billing.processing.handler..").as("the handler contract");
    /** The engine's implementation and its operator services: everything of processing but the contract. */
    static final DescribedPredicate<JavaClass> ENGINE_CLASSES = resideInAPackage("io.billing.processing..")
            .and(not(HANDLER_CONTRACT_CLASSES)).as("the engine");
    static final DescribedPredicate<JavaClass> COMPOSITION_ROOT_CLASSES =
            resideInAPackage("io.billing.composition..").as("the composition root");
    static final DescribedPredicate<JavaClass> WEB_CLASSES = resideInAPackage("io.billing.web..").as("the web");
    static final DescribedPredicate<JavaClass> ADMIN_CLASSES = resideInAPackage("io.billing.admin..").as("the admin");
    /** The aggregates and their handlers: every package of the application that no other layer names. */
    static final DescribedPredicate<JavaClass> DOMAIN_CLASSES = resideInAPackage("io.billing..")
            .and(not(PLATFORM_CLASSES)).and(not(STRIPE_FORMAT_CLASSES)).and(not(INBOX_AND_OUTBOX_CLASSES))
            .and(not(HANDLER_CONTRACT_CLASSES)).and(not(ENGINE_CLASSES)).and(not(COMPOSITION_ROOT_CLASSES))
            .and(not(WEB_CLASSES)).and(not(ADMIN_CLASSES)).as("the domain");

    private LayeringRules() {
    }

    // The rules are methods, not ArchRule fields: surefire 3.5.3, which this build uses, silently skips
    // @ArchTest fields.

    @ArchTest
    static void noPackageCycles(JavaClasses classes) {
        slices().matching("io.billing.(**)").namingSlices("package io.billing.$1").should().beFreeOfCycles()
                .check(classes);
    }

    @ArchTest
    static void eachLayerIsUsedOnlyByTheLayersAboveIt(JavaClasses classes) {
        layers().check(classes);
    }

    @ArchTest
    static void platformKnowsNothingOfTheApplication(JavaClasses classes) {
        noClasses().that(PLATFORM_CLASSES)
                .should().dependOnClassesThat(resideInAPackage("io.billing..").and(not(PLATFORM_CLASSES)))
                .check(classes);
    }

    @ArchTest
    static void onlyWebAndAdminUseTheCompositionRoot(JavaClasses classes) {
        noClasses().that(not(COMPOSITION_ROOT_CLASSES).and(not(WEB_CLASSES)).and(not(ADMIN_CLASSES)))
                .should().dependOnClassesThat(COMPOSITION_ROOT_CLASSES).check(classes);
    }

    /**
     * The packages that hold event handlers use the engine through its contract only, whichever layer they
     * are in (found by what they implement, not by a list of names).
     */
    @ArchTest
    static void handlerPackagesDoNotDependOnTheEngine(JavaClasses classes) {
        String[] handlerPackages = classes.stream()
                .filter(type -> type.isAssignableTo(EventHandler.class) && !type.isInterface()
                        && !type.getModifiers().contains(JavaModifier.ABSTRACT))
                .map(JavaClass::getPackageName).distinct().toArray(String[]::new);
        noClasses().that().resideInAnyPackage(handlerPackages).should().dependOnClassesThat(ENGINE_CLASSES)
                .check(classes);
    }

    /** The layers, each accessed only by those above it. Web and admin are optional: billing-domain has neither. */
    public static LayeredArchitecture layers() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer(PLATFORM).definedBy(PLATFORM_CLASSES)
                .layer(STRIPE_FORMATS).definedBy(STRIPE_FORMAT_CLASSES)
                .layer(INBOX_AND_OUTBOX).definedBy(INBOX_AND_OUTBOX_CLASSES)
                .layer(HANDLER_CONTRACT).definedBy(HANDLER_CONTRACT_CLASSES)
                .layer(DOMAIN).definedBy(DOMAIN_CLASSES)
                .layer(ENGINE).definedBy(ENGINE_CLASSES)
                .layer(COMPOSITION_ROOT).definedBy(COMPOSITION_ROOT_CLASSES)
                .optionalLayer(WEB).definedBy(WEB_CLASSES)
                .optionalLayer(ADMIN).definedBy(ADMIN_CLASSES);
        for (int below = 0; below < BOTTOM_TO_TOP.indexOf(WEB); below++) {
            List<String> above = BOTTOM_TO_TOP.subList(below + 1, BOTTOM_TO_TOP.size());
            architecture = architecture.whereLayer(BOTTOM_TO_TOP.get(below))
                    .mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        // Web and admin are side by side at the top: each may use all below, neither the other.
        return architecture.whereLayer(WEB).mayNotBeAccessedByAnyLayer()
                .whereLayer(ADMIN).mayNotBeAccessedByAnyLayer();
    }

    /**
     * The application's classes only: neither test classes nor the test-jar billing-domain shares with the
     * other modules, which the class path holds when a module's tests run.
     */
    public static final class ApplicationClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.contains("-tests.jar");
        }
    }
}
