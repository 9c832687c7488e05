package jp.yui.merchant;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An HTTP server on 127.0.0.1 (ephemeral port) that answers what a test scripted, per method and path, and records
 * every request. A route's replies are used in order; the last one repeats. An unscripted request gets a 599, so that
 * a test never passes by accident.
 */
final class ScriptedServer implements AutoCloseable {

    /** A request as the server received it. */
    static final class Recorded {
        final String method;
        final String target;
        final Map<String, List<String>> headers;
        final String body;

        Recorded(String method, String target, Map<String, List<String>> headers, String body) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.body = body;
        }

        /** @return the header's first value (names are case-insensitive), or null */
        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** What to answer. */
    static final class Reply {
        final int status;
        final String contentType;
        final String body;
        final Map<String, String> headers;
        final boolean hang;

        private Reply(int status, String contentType, String body, Map<String, String> headers, boolean hang) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
            this.headers = headers;
            this.hang = hang;
        }

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of(), false);
        }

        static Reply problem(int status, String typeName, String title, String detail, String code) {
            StringBuilder body = new StringBuilder("{\"type\":\"https://yui.jp/problems/").append(typeName)
                    .append("\",\"title\":\"").append(title).append("\",\"status\":").append(status);
            if (detail != null) {
                body.append(",\"detail\":\"").append(detail).append('"');
            }
            if (code != null) {
                body.append(",\"code\":\"").append(code).append('"');
            }
            body.append(",\"instance\":\"/somewhere\"}");
            return new Reply(status, "application/problem+json", body.toString(), Map.of(), false);
        }

        static Reply text(int status, String contentType, String body) {
            return new Reply(status, contentType, body, Map.of(), false);
        }

        /** Never answers (until the server closes): for timeouts. */
        static Reply hang() {
            return new Reply(0, null, null, Map.of(), true);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more, hang);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Deque<Reply>> script = new HashMap<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return {@code http://127.0.0.1:<port>} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * @param target the path and, if the request has one, the raw query: {@code /regions/7/payments?limit=50}
     */
    ScriptedServer on(String method, String target, Reply... replies) {
        synchronized (script) {
            script.computeIfAbsent(method + " " + target, k -> new ArrayDeque<>()).addAll(List.of(replies));
        }
        return this;
    }

    /** @return every request so far, in arrival order */
    List<Recorded> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** @return the requests to one route */
    List<Recorded> requests(String method, String target) {
        return requests().stream().filter(r -> r.method.equals(method) && r.target.equals(target))
                .collect(Collectors.toList());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String target = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        requests.add(new Recorded(exchange.getRequestMethod(), target, headers, body));
        Reply reply;
        synchronized (script) {
            Deque<Reply> replies = script.get(exchange.getRequestMethod() + " " + target);
            reply = replies == null || replies.isEmpty() ? null : replies.size() > 1 ? replies.poll() : replies.peek();
        }
        if (reply == null) {
            reply = Reply.text(599, "text/plain", "unscripted: " + exchange.getRequestMethod() + " " + target);
        }
        if (reply.hang) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType);
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
