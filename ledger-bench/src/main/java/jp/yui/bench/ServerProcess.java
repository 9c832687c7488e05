package jp.yui.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ledger server as a child process: {@code java <jvm flags> -D<settings> -jar ledger-server.jar}, listening on
 * loopback only, its output in a log file. Started and stopped by the benchmark.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path log;
    private final List<String> command;

    private ServerProcess(Process process, URI base, Path log, List<String> command) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.command = command;
    }

    /**
     * Starts the server and waits until {@code GET /health} answers 200.
     *
     * @param jar      the server's runnable jar
     * @param jvmFlags flags for its JVM, such as {@code -Xmx512m}
     * @param settings Micronaut settings, passed as system properties; the port and host are added here
     * @throws IOException if it does not start, or is not healthy within {@code startTimeout} (the log's tail is in
     *                     the message)
     */
    static ServerProcess start(Path jar, List<String> jvmFlags, Map<String, String> settings, Duration startTimeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no server jar at " + jar.toAbsolutePath()
                    + " (build it with ./mvnw -B -q -Pbench package -DskipTests, or name it with --server-jar)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("micronaut.server.host", "127.0.0.1");
        all.put("micronaut.server.port", Integer.toString(port));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Path log = Files.createTempFile("yui-bench-server", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The server's own environment must not point it elsewhere: the settings above are the whole configuration.
        pb.environment().keySet().removeIf(k -> k.startsWith("DATASOURCES_") || k.startsWith("YUI_")
                || k.startsWith("MICRONAUT_"));
        Process p = pb.start();
        URI base = URI.create("http://127.0.0.1:" + port);
        ServerProcess server = new ServerProcess(p, base, log, command);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the server exited with status " + p.exitValue() + " while starting:\n" + server.tail(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        String tail = server.tail(40);
        server.close();
        throw new IOException("the server did not become healthy within " + startTimeout + ":\n" + tail);
    }

    URI base() {
        return base;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** The command line, with the database password (if any) hidden. */
    List<String> command() {
        List<String> shown = new ArrayList<>();
        for (String arg : command) {
            shown.add(arg.startsWith("-Ddatasources.default.password=") ? "-Ddatasources.default.password=…" : arg);
        }
        return shown;
    }

    /** The last lines of the server's log. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
