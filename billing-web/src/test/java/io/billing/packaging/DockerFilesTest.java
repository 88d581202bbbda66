package io.billing.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker files, checked without Docker: the image is the Payara Micro the build uses, the scaled-out
 * variant runs distinct instances that the load balancer all reaches, and every setting they pass is one the
 * configuration reference ({@code docs/configuration.md}) documents.
 */
class DockerFilesTest {

    private static final Path ROOT = RepositoryFiles.root();
    private static final Pattern SETTING = Pattern.compile("\\b((?:BILLING|STRIPE)_[A-Z0-9_]+)\\b");

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    @Test
    void theImageIsThePayaraMicroTheBuildUses() throws IOException {
        String payara = System.getProperty("payara.version");
        assertTrue(payara != null && !payara.isBlank(), "the build passes payara.version");
        assertTrue(read("docker/Dockerfile").contains("FROM payara/micro:" + payara + "-jdk17"),
                "docker/Dockerfile must use payara/micro:" + payara + "-jdk17");
    }

    @Test
    void theScaledOutVariantRunsDistinctInstancesTheBalancerAllReaches() throws IOException {
        String compose = read("docker/compose.scaled.yaml");
        String nginx = read("docker/nginx.conf");
        Set<String> nodeIds = new TreeSet<>();
        Matcher node = Pattern.compile("BILLING_ENGINE_NODE_ID: (\\S+)").matcher(compose);
        while (node.find()) {
            nodeIds.add(node.group(1));
        }
        assertEquals(Set.of("billing-1", "billing-2", "billing-3"), nodeIds, "one node id per instance, all distinct");
        for (String instance : nodeIds) {
            assertTrue(compose.contains("\n  " + instance + ":\n"), instance + " is a service");
            assertTrue(nginx.contains("server " + instance + ":8080"), "the balancer reaches " + instance);
        }
        assertTrue(compose.contains("jdbc:postgresql://postgres:5432/billing"), "all on the one PostgreSQL");
    }

    @Test
    void theBalancerPassesAWebhookDeliveryOnWhenAnInstanceIsStillStarting() throws IOException {
        Matcher webhook = Pattern.compile("location = /api/stripe/webhook \\{([^}]*)}").matcher(read("docker/nginx.conf"));
        assertTrue(webhook.find(), "nginx.conf has its own location for the webhook");
        // A starting Payara Micro answers 404, then 500, before its application is deployed (ThreeInstancesIT).
        for (String condition : List.of("error", "http_404", "http_500", "non_idempotent")) {
            assertTrue(webhook.group(1).matches("(?s).*proxy_next_upstream[^;]*\\b" + condition + "\\b.*"),
                    "the webhook goes to the next instance on " + condition);
        }
        assertFalse(webhook.group(1).contains("http_503"), "a 503 (database away) goes to Stripe as is");
    }

    @Test
    void everySettingTheFilesPassIsDocumented() throws IOException {
        String reference = read("docs/configuration.md");
        Set<String> undocumented = new TreeSet<>();
        for (String file : new String[] {"docker/compose.yaml", "docker/compose.scaled.yaml", "docker/Dockerfile"}) {
            Matcher setting = SETTING.matcher(read(file));
            while (setting.find()) {
                if (!reference.contains("`" + setting.group(1) + "`")) {
                    undocumented.add(setting.group(1) + " (" + file + ")");
                }
            }
        }
        assertEquals(Set.of(), undocumented, "settings missing from docs/configuration.md");
    }
}
