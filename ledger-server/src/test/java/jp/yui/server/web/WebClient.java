package jp.yui.server.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen, for the pages' HTTP-level tests: keeps cookies, never follows redirects (so tests see
 * them), and reads the CSRF token out of the last page.
 */
final class WebClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private final Map<String, String> cookies = new HashMap<>();
    private String lastBody = "";

    WebClient(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** A form POST; {@code fields} in order. */
    HttpResponse<String> post(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A form POST carrying the CSRF token of the last page. */
    HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", csrf());
        return post(path, withToken);
    }

    HttpResponse<String> send(HttpRequest.Builder builder) {
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
            lastBody = response.body();
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String csrf() {
        Matcher m = CSRF.matcher(lastBody);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the last page:\n" + lastBody);
        }
        return m.group(1);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void cookie(String name, String value) {
        cookies.put(name, value);
    }

    /** Drops a cookie, as a browser that never had it. */
    void forget(String name) {
        cookies.remove(name);
    }
}
