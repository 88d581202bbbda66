package io.billing.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as an operator starts it: the WAR on a bare {@code java -jar payara-micro.jar --deploy}, configured by
 * its environment only (secrets never on a command line), its output in a log file of its own, stopped on exit or
 * Ctrl-C so that it never keeps the port. The benchmarks start one or several; the cluster test starts three and
 * kills one.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private final Path war;
    private final int port;
    private final Path log;
    private Process process;

    /** A service on {@code port} whose output goes to {@code log}. */
    public ServiceProcess(Path war, int port, Path log) {
        this.war = war;
        this.port = port;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-service"));
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public Path log() {
        return log;
    }

    /**
     * Starts the service with these environment variables and JVM options (blank: none). Appends to the log, so a
     * restarted instance keeps its earlier life's lines.
     */
    public void start(Path microJar, Map<String, String> environment, String jvmOptions) throws IOException {
        requireFile(war, "the WAR");
        requireFile(microJar, "the Payara Micro jar");
        if (probe("POST", baseUri()) != -1) {
            throw new IllegalStateException("port " + port + " is already in use; stop what runs there or choose another");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", microJar.toString(), "--deploy", war.toString(), "--nocluster", "--port",
                Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        System.out.println("started Payara Micro (pid " + process.pid() + ") on port " + port + ", log " + log);
    }

    /** Waits until {@code method path} answers {@code status}: the application is deployed and answering. */
    public void awaitReady(String method, String path, int status) throws InterruptedException {
        URI target = baseUri().resolve(path.startsWith("/") ? path.substring(1) : path);
        long startNanos = System.nanoTime();
        long deadline = startNanos + READY_TIMEOUT.toNanos();
        while (probe(method, target) != status) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with code " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Payara Micro not ready after " + READY_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
            Thread.sleep(250);
        }
        System.out.printf(Locale.ROOT, "service on port %d ready after %.1f s%n", port,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** SIGKILL: no shutdown hook, no orderly undeploy, connections cut mid-request, as when a host dies. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port nothing listens on now (the kernel's choice). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** The status of a bodiless request, or -1 when nothing answers at all. */
    public static int probe(String method, URI target) {
        int port = target.getPort() < 0 ? 80 : target.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), port), 1_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + port
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] statusLine = new byte[12];
            int read = in.readNBytes(statusLine, 0, statusLine.length);
            String line = new String(statusLine, 0, read, StandardCharsets.ISO_8859_1);
            return read == 12 && line.startsWith("HTTP/1.") ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(what + " is missing at " + file.toAbsolutePath()
                    + "; build it first (./mvnw -DskipTests package)");
        }
    }
}
