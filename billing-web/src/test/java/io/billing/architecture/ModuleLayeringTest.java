package io.billing.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.billing.testsupport.LayeringRules;

/**
 * Every module together keeps the layers (see {@link LayeringRules}), with the web (this module) and the
 * admin (billing-admin) side by side on top: each may use every layer below, neither the other, and
 * nothing below either of them.
 */
@AnalyzeClasses(packages = {"io.billing", "db.migration"}, importOptions = LayeringRules.ApplicationClassesOnly.class)
class ModuleLayeringTest {

    @ArchTest
    static final ArchTests rules = ArchTests.in(LayeringRules.class);
}
