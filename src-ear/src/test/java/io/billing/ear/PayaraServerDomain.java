package io.billing.ear;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Server domain of the test's own, driven through {@code asadmin} as an operator would: created with a
 * port base, started with the application's settings in its environment (the server inherits asadmin's), the EAR
 * deployed, stopped at the end. Every asadmin call's output goes to {@code asadmin.log} beside the domain.
 */
final class PayaraServerDomain {

    private static final String NAME = "billing-it";
    private static final long ASADMIN_TIMEOUT_SECONDS = 300;

    private final Path home;
    private final Path domains;
    private final int portBase;
    private Map<String, String> environment = Map.of();

    PayaraServerDomain(Path home, Path domains, int portBase) {
        this.home = home;
        this.domains = domains;
        this.portBase = portBase;
    }

    /** Where the applications answer: the domain's HTTP listener. */
    URI http() {
        return URI.create("http://127.0.0.1:" + (portBase + 80) + "/");
    }

    private int adminPort() {
        return portBase + 48;
    }

    void create() throws IOException, InterruptedException {
        for (int port : new int[] {adminPort(), portBase + 80}) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " is taken (a server left over from an earlier run?); "
                        + "stop it or choose other ports with -Dit.payara.portbase=");
            }
        }
        Files.createDirectories(domains);
        if (Files.isDirectory(domains.resolve(NAME))) {
            asadmin("delete-domain", "--domaindir", domains.toString(), NAME);
        }
        asadmin("create-domain", "--nopassword", "--portbase", Integer.toString(portBase), "--domaindir",
                domains.toString(), NAME);
    }

    /** Starts the domain; {@code settings} become the server's environment, as an operator's would. */
    void start(Map<String, String> settings) throws IOException, InterruptedException {
        this.environment = settings;
        asadmin("start-domain", "--domaindir", domains.toString(), NAME);
    }

    void deploy(Path ear) throws IOException, InterruptedException {
        try {
            asadmin("--port", Integer.toString(adminPort()), "deploy", "--name", "billing", ear.toString());
        } catch (IllegalStateException failed) {
            throw new IllegalStateException(failed.getMessage() + "\nserver.log ends with:\n"
                    + tail(serverLog(), 80), failed);
        }
    }

    void stop() {
        try {
            asadmin("stop-domain", "--domaindir", domains.toString(), NAME);
        } catch (IOException | IllegalStateException e) {
            System.err.println("stopping the domain failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path serverLog() {
        return domains.resolve(NAME).resolve("logs/server.log");
    }

    private void asadmin(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", home.resolve("glassfish/lib/client/appserver-cli.jar").toString()));
        command.addAll(List.of(arguments));
        Path log = domains.resolve("asadmin.log");
        Files.writeString(log, "\n$ asadmin " + String.join(" ", arguments) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        // start-domain forks the server, which inherits these streams: keep them off the test's own pipes.
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(ASADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("asadmin " + arguments[0] + " did not finish in " + ASADMIN_TIMEOUT_SECONDS
                    + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " failed with exit code "
                    + process.exitValue() + ":\n" + tail(log, 30));
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a file's last lines for a failure message (the server's log says why a deployment failed). */
    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
