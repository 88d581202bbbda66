package io.billing.platform.net;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The callbacks' POST against receivers on 127.0.0.1: refused before connecting when private networks are not
 * allowed; otherwise sent to the address it checked, with the host's name; a redirect answered, never followed.
 */
class PinnedHttpPostTest {

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host="
                        + exchange.getRequestHeaders().getFirst("Host") + " Key="
                        + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.createContext("/moved", exchange -> {
            try (exchange) {
                received.add("moved");
                exchange.getResponseHeaders().set("Location", "/hook");
                exchange.sendResponseHeaders(302, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String local(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static PinnedHttpPost sender(Destinations destinations) {
        return new PinnedHttpPost(destinations, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void aLoopbackDestinationIsRefusedBeforeAnythingIsSent() {
        PinnedHttpPost publicOnly = sender(Destinations.publicOnly());
        Destinations.Refused refused = assertThrows(Destinations.Refused.class,
                () -> publicOnly.post(URI.create(local("/hook")), Map.of(), "{}"));
        assertEquals("refused: not a public address", PinnedHttpPost.describe(refused));
        assertThrows(Destinations.Refused.class, () -> publicOnly.post(URI.create("http://localhost:"
                + receiver.getAddress().getPort() + "/hook"), Map.of(), "{}"));
        assertEquals(List.of(), received);
    }

    @Test
    void aRedirectIsTheAnswerAndIsNotFollowed() throws IOException {
        assertEquals(302, sender(Destinations.anyAddress()).post(URI.create(local("/moved")), Map.of(), "{}"));
        assertEquals(List.of("moved"), received);
    }

    @Test
    void theHostIsLookedUpOnceAndTheCheckedAddressIsTheOneConnectedTo() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        Destinations pinned = new Destinations(true, host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        });
        int port = receiver.getAddress().getPort();
        assertEquals(204, sender(pinned).post(URI.create("http://hooks.tenant.test:" + port + "/hook?x=1"),
                Map.of("Idempotency-Key", "callback:evt_1"), "{\"a\":1}"));
        assertEquals(List.of("POST /hook?x=1 Host=hooks.tenant.test:" + port + " Key=callback:evt_1 {\"a\":1}"),
                received);
        assertEquals(1, lookups.get());
    }

    @Test
    void failuresAreToldByTheirKindAndHeadersCannotBeSmuggledIn() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        IOException refused = assertThrows(IOException.class, () -> sender(Destinations.anyAddress())
                .post(URI.create("http://127.0.0.1:" + closed + "/hook"), Map.of(), "{}"));
        assertEquals("connection refused", PinnedHttpPost.describe(refused));
        assertThrows(IllegalArgumentException.class, () -> sender(Destinations.anyAddress())
                .post(URI.create(local("/hook")), Map.of("Idempotency-Key", "x\r\nX-Injected: 1"), "{}"));
        assertThrows(IllegalArgumentException.class, () -> sender(Destinations.anyAddress())
                .post(URI.create("ftp://127.0.0.1/hook"), Map.of(), "{}"));
        assertEquals(List.of(), received);
    }
}
