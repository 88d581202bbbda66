package io.billing.notification;

import com.sun.net.httpserver.HttpServer;
import io.billing.entitlement.Entitlements;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.platform.net.PinnedHttpPost;
import io.billing.platform.persistence.DataAccess;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's callback URL may not lead inside the service's network: refused when it is registered if its host is a
 * loopback, private, link-local or metadata address, and again when a delivery finds that its name now resolves to
 * one (DNS changed after the registration), before anything is sent. Run on the embedded H2.
 */
class CallbackDestinationsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private final TestDatabase database = TestDatabase.h2();
    private final DataAccess data = database.dataAccess();
    private final MutableClock clock = new MutableClock(T0);
    /** What the DNS says now, name by name; a test changes it. */
    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of("hooks.tenant.example", "93.184.216.34"));
    private final Destinations destinations = new Destinations(false, host -> {
        String address = dns.get(host);
        if (address != null) {
            return new InetAddress[]{InetAddress.getByName(address)};
        }
        if (host.equals("localhost") || host.matches("[0-9.]+|.*:.*")) {
            return InetAddress.getAllByName(host); // the hosts file, or a literal: nothing is asked of a DNS server
        }
        throw new UnknownHostException(host);
    });
    private final TenantCallbacks callbacks = new TenantCallbacks(data, clock, true, SecretBox.none(), destinations);
    private HttpServer receiver;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.stop(0);
        }
        database.close();
    }

    @Test
    void aCallbackToLoopbackPrivateLinkLocalOrMetadataAddressesIsRefusedWhenRegistered() throws Exception {
        for (String url : List.of("http://127.0.0.1:8080/hook", "https://localhost/hook", "https://[::1]/hook",
                "https://10.1.2.3/hook", "https://192.168.0.10/hook", "http://169.254.169.254/latest/meta-data",
                "https://[fd00:ec2::254]/", "https://100.100.100.200/", "https://0.0.0.0/")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> callbacks.register("tenant_a", url, "ops", "onboarding"), url);
            assertTrue(refused.getMessage().contains("non-public address: refused"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> callbacks.register("tenant_a",
                "https://nowhere.invalid/hook", "ops", "onboarding"), "a host that is not found");
        assertThrows(IllegalArgumentException.class, () -> callbacks.register("tenant_a",
                "https://user:pass@hooks.tenant.example/hook", "ops", "onboarding"));
        callbacks.register("tenant_a", "https://hooks.tenant.example/billing", "ops", "onboarding");
        assertEquals("https://hooks.tenant.example/billing", callbacks.find("tenant_a").orElseThrow().url());
    }

    @Test
    void aNameThatResolvesInsideByTheTimeOfTheDeliveryIsRefusedBeforeAnythingIsSent() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        callbacks.register("tenant_a", "http://hooks.tenant.example:" + receiver.getAddress().getPort() + "/billing",
                "ops", "onboarding");
        dns.put("hooks.tenant.example", "127.0.0.1"); // rebound after the check at the registration

        OutboxTransport.Result result = TenantCallbacks.transport(data, clock, new Entitlements(data, clock,
                        Duration.ofDays(3)), new PinnedHttpPost(destinations, Duration.ofSeconds(2), Duration.ofSeconds(5)),
                SecretBox.none()).deliver(new OutboxMessage("callback:evt_1", TenantCallbacks.DESTINATION, "tenant_a",
                "evt_1", "{\"tenant_id\":\"tenant_a\",\"cause_event_id\":\"evt_1\"}", 1, 1, null));

        assertFalse(result.delivered());
        assertTrue(result.permanent(), "not retried: an operator looks at it");
        assertEquals("the callback of tenant_a refused: not a public address", result.detail());
        assertEquals(0, calls.get(), "nothing was sent");
    }
}
