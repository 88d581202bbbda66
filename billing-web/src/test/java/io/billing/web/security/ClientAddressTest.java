package io.billing.web.security;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Who the caller is: the peer, or what a trusted proxy forwarded; IPv6 by its /64; never a name looked up. */
class ClientAddressTest {

    private final ClientAddress behindProxies = new ClientAddress(Optional.of("10.0.0.0/8, 192.0.2.7, fd00::/8"));
    private final ClientAddress direct = new ClientAddress(Optional.empty());

    @Test
    void aTrustedProxysForwardedForNamesTheClientAndNoOneElsesDoes() {
        assertEquals("203.0.113.9", address(behindProxies, "10.1.2.3", "203.0.113.9"));
        assertEquals("203.0.113.9", address(behindProxies, "10.1.2.3", "198.51.100.1, 203.0.113.9, 192.0.2.7"),
                "the right-most hop that is not a trusted proxy: what left of it came from the client is unproven");
        assertEquals("198.51.100.4", address(behindProxies, "198.51.100.4", "203.0.113.9"), "not a trusted proxy");
        assertEquals("10.1.2.3", address(direct, "10.1.2.3", "203.0.113.9"), "no proxy is trusted by default");
        assertEquals("10.9.9.9", address(behindProxies, "10.1.2.3", "evil.example, 10.9.9.9"),
                "a name is not an address: the last trusted hop it reached stands");
        assertEquals("10.1.2.3", address(behindProxies, "10.1.2.3", null));
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", address(direct, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", null));
        assertEquals("2001:db8:1:2:0:0:0:0/64", address(behindProxies, "fd00::1", "[2001:db8:1:2::99]"));
        assertEquals("192.0.2.1", address(direct, "192.0.2.1", null));
    }

    @Test
    void theWebhooksRefusalsNameTheClientInFull() {
        assertEquals("2001:db8:1:2:aaaa:bbbb:cccc:dddd", direct.address("2001:db8:1:2:aaaa:bbbb:cccc:dddd", null));
        assertEquals("203.0.113.9", behindProxies.address("10.1.2.3", "203.0.113.9"));
        assertEquals("198.51.100.4", direct.address("198.51.100.4", "203.0.113.9"), "no proxy is trusted by default");
        assertEquals("unknown", direct.address("not an address", null));
    }

    @Test
    void onlyLiteralsAreParsedAndBadRangesAreRefusedAtTheStart() {
        assertNull(ClientAddress.literal("localhost"));
        assertNull(ClientAddress.literal("example.com"));
        assertNull(ClientAddress.literal(""));
        assertEquals("127.0.0.1", ClientAddress.literal("127.0.0.1").getHostAddress());
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("proxy.internal")));
    }

    private static String address(ClientAddress addresses, String peer, String forwardedFor) {
        return ClientAddress.key(addresses.client(peer, forwardedFor));
    }
}
