package io.billing.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is calling, for the login throttle and the webhook's refused deliveries, and whether the call came over TLS, for the security headers. Behind a
 * balancer every request comes from the balancer, so its {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are
 * believed, but only from the proxies named in {@code billing.trusted-proxies} (addresses or CIDR ranges): anyone
 * else could write any address there. The client is the right-most address of {@code X-Forwarded-For} that is not
 * a trusted proxy. An IPv6 client is counted by its /64, the block one subscriber usually holds.
 */
@ApplicationScoped
public class ClientAddress {

    /** Request attribute: the caller's address as {@link #of} gives it, for the admin's change of one's password. */
    public static final String ATTRIBUTE = "io.billing.client-address";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Range> trusted;

    @Inject
    public ClientAddress(@ConfigProperty(name = "billing.trusted-proxies") Optional<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : trustedProxies.orElse("").split(",")) {
            if (!entry.isBlank()) {
                ranges.add(Range.parse(entry.trim()));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    /** For CDI's proxy only. */
    protected ClientAddress() {
        this.trusted = List.of();
    }

    /** How many addresses or ranges are trusted proxies. */
    public int trustedProxies() {
        return trusted.size();
    }

    /** The caller's address as the throttle counts it: an IPv4 address, or an IPv6 address's /64. */
    public String of(HttpServletRequest request) {
        InetAddress client = client(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        return client == null ? "unknown" : key(client);
    }

    /**
     * The caller's address in full, as the webhook's refused deliveries are written down with it: the peer's, or
     * behind a trusted proxy the client's it names.
     */
    public String address(HttpServletRequest request) {
        return address(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    String address(String remote, String forwardedFor) {
        InetAddress client = client(remote, forwardedFor);
        return client == null ? "unknown" : client.getHostAddress();
    }

    /** Whether the caller reached the service over TLS: directly, or through a trusted proxy that says so. */
    public boolean overTls(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        return proto != null && isTrusted(literal(request.getRemoteAddr()))
                && "https".equalsIgnoreCase(proto.split(",")[0].trim());
    }

    InetAddress client(String remote, String forwardedFor) {
        InetAddress peer = literal(remote);
        if (peer == null || forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = Arrays.asList(forwardedFor.split(","));
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i).trim());
            if (hop == null) {
                return client; // not an address: what lies left of it cannot be believed
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        return address != null && trusted.stream().anyMatch(range -> range.contains(address));
    }

    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return address.getHostAddress();
    }

    /** An IP address written as one, never looked up by name; null for anything else. */
    static InetAddress literal(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String address = text.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        // Only literals reach InetAddress: a name would be looked up in the DNS.
        if (!IPV4.matcher(address).matches() && !(address.contains(":") && address.matches("[0-9A-Fa-f:.%]+"))) {
            return null;
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            return parsed instanceof Inet6Address six && six.getScopeId() != 0
                    ? InetAddress.getByAddress(six.getAddress()) : parsed;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address, or a CIDR range of addresses. */
    record Range(byte[] network, int prefixBits) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("billing.trusted-proxies: not an IP address or range: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("billing.trusted-proxies: not a CIDR range: " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("billing.trusted-proxies: not a CIDR range: " + text);
            }
            return new Range(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
