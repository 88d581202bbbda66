package io.billing.platform.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses are public, and that a name with any non-public address is refused. */
class DestinationsTest {

    @Test
    void loopbackPrivateLinkLocalMetadataAndTheirIpv6FormsAreNotPublic() throws Exception {
        for (String address : List.of("127.0.0.1", "127.8.8.8", "10.0.0.5", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.100.100.200", "0.0.0.0", "224.0.0.1",
                "255.255.255.255", "192.0.2.10", "198.51.100.7", "203.0.113.9", "198.18.0.1", "::", "::1", "fe80::1",
                "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
                "2002:7f00:1::", "2001:db8::1", "ff02::1")) {
            assertFalse(Destinations.isPublic(InetAddress.getByName(address)), address);
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1",
                "2606:4700::1111", "2002:5db8:d822::", "64:ff9b::808:808")) {
            assertTrue(Destinations.isPublic(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void everyAddressOfANameIsCheckedAndPrivateOnesAreAllowedOnlyWhenSaid() throws Exception {
        Map<String, List<String>> dns = Map.of("hooks.example", List.of("93.184.216.34"),
                "split.example", List.of("93.184.216.34", "10.0.0.5"), "inside.example", List.of("127.0.0.1"));
        Destinations.Resolver resolver = host -> {
            List<String> addresses = dns.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] resolved = new InetAddress[addresses.size()];
            for (int i = 0; i < resolved.length; i++) {
                resolved[i] = InetAddress.getByName(addresses.get(i));
            }
            return resolved;
        };
        Destinations publicOnly = new Destinations(false, resolver);
        assertEquals(List.of(InetAddress.getByName("93.184.216.34")), publicOnly.resolve("hooks.example"));
        assertThrows(Destinations.Refused.class, () -> publicOnly.resolve("split.example"), "one private address");
        assertThrows(Destinations.Refused.class, () -> publicOnly.resolve("inside.example"));
        assertThrows(UnknownHostException.class, () -> publicOnly.resolve("nowhere.example"));
        assertEquals(2, new Destinations(true, resolver).resolve("split.example").size());
        assertThrows(Destinations.Refused.class, () -> Destinations.publicOnly().resolve("[::1]"));
        assertThrows(Destinations.Refused.class, () -> Destinations.publicOnly().resolve("localhost"));
    }
}
