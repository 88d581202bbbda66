package io.billing.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The one deployment every integration test uses: the WAR exactly as the build produced it. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive billingWar() {
        File war = new File(System.getProperty("it.war", "target/billing-web.war"));
        return ShrinkWrap.create(ZipImporter.class, "billing-web.war").importFrom(war).as(WebArchive.class);
    }
}
