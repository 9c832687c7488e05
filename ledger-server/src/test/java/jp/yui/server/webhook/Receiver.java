package jp.yui.server.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A shop's webhook endpoint for tests: a JDK HTTP server on 127.0.0.1 that records every request and answers the
 * statuses it was given, in order, repeating the last one. A 3xx answer points to {@code /elsewhere} on the same
 * server. Thread-safe.
 */
final class Receiver implements AutoCloseable {

    /** One request as the shop received it; header names in lower case. */
    record Request(String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final int[] statuses;
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Request> received = new CopyOnWriteArrayList<>();

    private Receiver(int... statuses) throws IOException {
        this.statuses = statuses.clone();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            received.add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), e -> e.getValue().get(0))), body));
            int n = answered.getAndIncrement();
            int status = this.statuses[Math.min(n, this.statuses.length - 1)];
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", url("/elsewhere"));
            }
            byte[] answer = (status == 204 ? "" : status >= 400 ? "boom\n\tat the till" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    /** A receiver answering these statuses in turn, then the last one for ever. */
    static Receiver answering(int... statuses) {
        if (statuses.length == 0) {
            throw new IllegalArgumentException("statuses must not be empty: " + Arrays.toString(statuses));
        }
        try {
            return new Receiver(statuses);
        } catch (IOException e) {
            throw new IllegalStateException("could not start a receiver", e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
