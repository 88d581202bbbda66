package io.billing.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
 * A Payara Micro the benchmarks start: the WAR on a bare {@code java -jar payara-micro.jar --deploy}, configured
 * by its environment only (secrets never on a command line), its output in {@code bench-payara.log} beside the
 * WAR, stopped on exit or Ctrl-C so that it never keeps the port.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path war;
    private final int port;
    private Process process;

    ServiceProcess(Path war, int port) {
        this.war = war;
        this.port = port;
    }

    /** Starts the service with these environment variables (and JVM options from {@code bench.service-jvm-options}). */
    void start(Path microJar, Map<String, String> environment) throws IOException {
        requireFile(war, "the WAR");
        requireFile(microJar, "the Payara Micro jar");
        if (probe("POST", URI.create("http://127.0.0.1:" + port + "/")) != -1) {
            throw new IllegalStateException("port " + port + " is already in use; "
                    + "stop what runs there or choose another with -Dbench.port=");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvmOptions = System.getProperty("bench.service-jvm-options", "");
        if (!jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", microJar.toString(), "--deploy", war.toString(), "--nocluster", "--port",
                Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log().toFile());
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-stop-service"));
        System.out.println("started Payara Micro (pid " + process.pid() + ") on port " + port + ", log " + log());
    }

    /** Waits until {@code method path} answers {@code status}: the application is deployed and answering. */
    void awaitReady(String method, String path, int status) throws InterruptedException {
        URI target = URI.create("http://127.0.0.1:" + port + path);
        long startNanos = System.nanoTime();
        long deadline = startNanos + READY_TIMEOUT.toNanos();
        while (probe(method, target) != status) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with code " + process.exitValue()
                        + " before it was ready; see " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Payara Micro not ready after " + READY_TIMEOUT.toSeconds()
                        + " s; see " + log());
            }
            Thread.sleep(500);
        }
        System.out.printf(Locale.ROOT, "service ready after %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
    }

    Path log() {
        return war.toAbsolutePath().getParent().resolve("bench-payara.log");
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

    /** The status of a bodiless request, or -1 when nothing answers at all. */
    static int probe(String method, URI target) {
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
                    + "; build it first (./mvnw -Pbench verify builds everything)");
        }
    }
}
