package io.billing.platform.net;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON POST to a URL someone else chose, over HTTP/1.1, without the ways such a URL reaches inside the network:
 * the host is resolved once and every address checked ({@link Destinations}); the connection goes to a checked
 * address itself, so a second lookup cannot swap in another (DNS rebinding); TLS still verifies the certificate
 * against the host's name (and sends it as SNI); a redirect is an answer like any other, never followed. Only the
 * status line of the answer is read.
 *
 * <p>A failure is told by its kind only ({@link #describe}): the text of a connection error may carry what the
 * inside of the network looks like, and it is shown to staff.
 */
public final class PinnedHttpPost {

    private static final int MAX_STATUS_LINE = 1024;

    private final Destinations destinations;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final SSLSocketFactory tls;

    public PinnedHttpPost(Destinations destinations, Duration connectTimeout, Duration readTimeout) {
        this(destinations, connectTimeout, readTimeout, defaultTls());
    }

    /** With another TLS context: tests that trust their own receiver's certificate. */
    public PinnedHttpPost(Destinations destinations, Duration connectTimeout, Duration readTimeout,
                          SSLSocketFactory tls) {
        this.destinations = destinations;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
        this.tls = tls;
    }

    /**
     * Posts {@code json} with {@code headers} and returns the answer's status.
     *
     * @throws Destinations.Refused if the host has an address that is not allowed (nothing was sent)
     * @throws IOException          if no address could be reached, or the answer did not come in time
     */
    public int post(URI url, Map<String, String> headers, String json) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
        }
        boolean secure = scheme.equals("https");
        int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
        List<InetAddress> addresses = destinations.resolve(url.getHost());
        try (Socket socket = connect(addresses, port)) {
            socket.setSoTimeout(readTimeoutMillis);
            Socket channel = secure ? handshake(socket, url.getHost(), port) : socket;
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = channel.getOutputStream();
            out.write(head(url, port, secure, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return status(new BufferedInputStream(channel.getInputStream()));
        }
    }

    /** What kind of failure it was, in a few words, with nothing of its message. */
    public static String describe(IOException failure) {
        if (failure instanceof Destinations.Refused) {
            return "refused: not a public address";
        }
        if (failure instanceof UnknownHostException) {
            return "host not found";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (failure instanceof SSLException) {
            return "TLS failed";
        }
        return "connection failed (" + failure.getClass().getSimpleName() + ")";
    }

    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last;
    }

    private SSLSocket handshake(Socket socket, String host, int port) throws IOException {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, not the address
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        return secure;
    }

    private static String head(URI url, int port, boolean secure, Map<String, String> headers, int length) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        boolean defaultPort = port == (secure ? 443 : 80);
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("User-Agent: billing-service\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> {
            if (name.matches(".*[\\r\\n:].*") || value.matches("(?s).*[\\r\\n].*")) {
                throw new IllegalArgumentException("a header may not span lines: " + name);
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        return head.append("\r\n").toString();
    }

    /** The status of {@code HTTP/1.x <status> <reason>}, the answer's first line. */
    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0 || line.size() > MAX_STATUS_LINE) {
                throw new IOException("no HTTP status line in the answer");
            }
            line.write(next);
        }
        String[] parts = line.toString(StandardCharsets.ISO_8859_1).trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x status line");
        }
        return Integer.parseInt(parts[1]);
    }

    private static SSLSocketFactory defaultTls() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has a default TLS context", e);
        }
    }
}
