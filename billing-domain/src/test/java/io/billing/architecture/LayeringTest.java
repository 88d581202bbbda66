package io.billing.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.billing.testsupport.LayeringRules;

/**
 * billing-domain keeps its layers (see {@link LayeringRules}): no package cycles, each layer used only by
 * those above it, a platform that knows nothing of the application, handlers that know the engine only by
 * its contract, and a composition root nothing in the domain module uses.
 */
@AnalyzeClasses(packages = {"io.billing", "db.migration"}, importOptions = LayeringRules.ApplicationClassesOnly.class)
class LayeringTest {

    @ArchTest
    static final ArchTests rules = ArchTests.in(LayeringRules.class);
}
