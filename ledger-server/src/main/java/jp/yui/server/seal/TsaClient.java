package jp.yui.server.seal;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.bouncycastle.tsp.TimeStampRequest;

/**
 * Asks the configured RFC 3161 time-stamp authority ({@code yui.seals.tsa-url}) for a token over a seal's digest:
 * {@code POST} of the DER request as {@code application/timestamp-query}, the answer read as
 * {@code application/timestamp-reply} and checked ({@link Rfc3161#accept}) before it is kept.
 */
@Singleton
class TsaClient {

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    /**
     * @throws IllegalArgumentException if the URL is not an absolute http or https URL
     */
    TsaClient(SealSettings settings) {
        this.url = settings.tsaUrl() == null ? null : parse(settings.tsaUrl());
        this.timeout = settings.tsaTimeout();
        this.http = url == null ? null : HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The authority's URL, if one is configured. */
    Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /**
     * A checked token over {@code digest} (SHA-256).
     *
     * @throws IllegalStateException         if no authority is configured
     * @throws Rfc3161.TimestampException if the authority cannot be reached in time, answers with an HTTP error,
     *                                       refuses, or answers with a token that does not hold up
     */
    Rfc3161.Stamp stamp(byte[] digest) throws Rfc3161.TimestampException {
        if (url == null) {
            throw new IllegalStateException("no time-stamp authority is configured (yui.seals.tsa-url)");
        }
        TimeStampRequest request = Rfc3161.request(digest, random);
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("Content-Type", "application/timestamp-query")
                            .header("Accept", "application/timestamp-reply")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Rfc3161.TimestampException("the time-stamp authority " + url + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rfc3161.TimestampException("interrupted while waiting for the time-stamp authority " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new Rfc3161.TimestampException("the time-stamp authority " + url + " answered HTTP " + response.statusCode());
        }
        return Rfc3161.accept(request, response.body());
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("yui.seals.tsa-url must be an http or https URL: " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("yui.seals.tsa-url must be an http or https URL: " + url, e);
        }
    }
}
