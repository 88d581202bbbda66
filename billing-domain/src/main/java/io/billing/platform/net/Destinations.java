package io.billing.platform.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses the service may send to on someone else's word. A public destination is one whose host resolves
 * only to globally reachable addresses: not loopback, not a private network (10/8, 172.16/12, 192.168/16, IPv6
 * unique local fc00::/7), not link-local (169.254/16, where clouds answer metadata requests, and fe80::/10), not the
 * shared address space of carrier NAT (100.64/10, where some clouds keep metadata too), not "this network"
 * (0/8, ::), not multicast, reserved, benchmarking or documentation ranges, and not an IPv6 form of any of them
 * (IPv4-mapped, NAT64, 6to4). Every address of a name is checked, since a client may pick any of them.
 *
 * <p>{@link #anyAddress()} allows every address: for tests and development, whose receivers listen on 127.0.0.1.
 */
public final class Destinations {

    /** Looks a host up: {@link InetAddress#getAllByName} unless a test says otherwise. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A destination that is not public: nothing was sent. */
    public static final class Refused extends IOException {

        private static final long serialVersionUID = 1L;

        Refused(String host) {
            super(host + " is a loopback, private, link-local or otherwise non-public address");
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public Destinations(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Public addresses only, from the DNS. */
    public static Destinations publicOnly() {
        return new Destinations(false, InetAddress::getAllByName);
    }

    /** Every address, from the DNS: for tests and development only. */
    public static Destinations anyAddress() {
        return new Destinations(true, InetAddress::getAllByName);
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * Resolves {@code host} and checks every address it has: the addresses to connect to, in the resolver's order.
     *
     * @throws Refused              if any of them is not public (and private ones are not allowed)
     * @throws UnknownHostException if the host has no address
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException, Refused {
        if (host == null || host.isBlank()) {
            throw new UnknownHostException("no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses = Arrays.asList(resolver.resolve(bare));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(bare);
        }
        if (!allowPrivate && !addresses.stream().allMatch(Destinations::isPublic)) {
            throw new Refused(bare);
        }
        return addresses;
    }

    /** Whether the address is reachable on the internet at large, in none of the ranges above. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isZero(bytes, 0, 10) && ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff
                    || isZero(bytes, 10, 12))) {
                return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16)); // IPv4-mapped ::ffff:a.b.c.d, compatible ::a.b.c.d
            }
            if (prefix(bytes, 0x00, 0x64, 0xff, 0x9b) && isZero(bytes, 4, 12)) {
                return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16)); // NAT64 64:ff9b::/96
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x02) {
                return isPublicIpv4(Arrays.copyOfRange(bytes, 2, 6)); // 6to4 2002::/16
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8) {
                return false; // documentation 2001:db8::/32
            }
            return (first & 0xe0) == 0x20; // global unicast 2000::/3
        }
        return false;
    }

    private static boolean isPublicIpv4(byte[] b) {
        int a = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224 // this network, private, loopback, multicast and reserved
                || a == 100 && second >= 64 && second < 128 // carrier NAT 100.64/10
                || a == 169 && second == 254 // link-local, cloud metadata
                || a == 172 && second >= 16 && second < 32 // private
                || a == 192 && second == 168 // private
                || a == 192 && second == 0 && (third == 0 || third == 2) // IETF protocol assignments, documentation
                || a == 198 && (second == 18 || second == 19) // benchmarking
                || a == 198 && second == 51 && third == 100 // documentation
                || a == 203 && second == 0 && third == 113); // documentation
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean prefix(byte[] bytes, int... values) {
        for (int i = 0; i < values.length; i++) {
            if ((bytes[i] & 0xff) != values[i]) {
                return false;
            }
        }
        return true;
    }
}
