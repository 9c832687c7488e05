package jp.yui.server.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Signing in to the pages through the town's OIDC provider ({@code yui.web.oidc} in application.yml; each also an
 * environment variable such as {@code YUI_WEB_OIDC_ISSUER}). Exists only when an issuer is configured; without one the
 * sign-in page offers no town account and {@code /app/login/oidc} answers 404.
 *
 * @param issuer       the provider's issuer, exactly as its discovery document
 *                     ({@code {issuer}/.well-known/openid-configuration}) and its ID tokens name it; https, or http to
 *                     this machine (localhost, 127.0.0.1, ::1) for trying things out
 * @param clientId     the pages' client id at the provider
 * @param clientSecret the pages' client secret (sent to the token endpoint with HTTP Basic, or in the form if the
 *                     provider only takes {@code client_secret_post})
 * @param redirectUri  where the provider sends the browser back: {@code https://<host>/app/login/oidc/callback},
 *                     registered at the provider. Null: made from each request's scheme and host (Micronaut's
 *                     {@code HttpHostResolver}), which is fine for trying things out; production should set it, since
 *                     behind a proxy the request's own host may not be the public one
 * @param scopes       the scopes asked for, space separated; must include {@code openid} (default
 *                     {@code "openid profile"})
 * @param loginTimeout how long a sign-in may stay at the provider before it is refused (default 10 minutes)
 * @param clockSkew    how far the provider's clock may be from this server's when ID token times are checked
 *                     (default 60 seconds)
 */
@ConfigurationProperties("yui.web.oidc")
@Requires(property = "yui.web.oidc.issuer")
public record OidcSettings(
        String issuer,
        // Nullable only so that a missing one is refused below with a message naming it.
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable String redirectUri,
        @Bindable(defaultValue = "openid profile") String scopes,
        @Bindable(defaultValue = "10m") Duration loginTimeout,
        @Bindable(defaultValue = "60s") Duration clockSkew) {

    public OidcSettings {
        requireText(issuer, "issuer");
        requireText(clientId, "client-id");
        requireText(clientSecret, "client-secret");
        requireSecureOrLoopback(issuer, "yui.web.oidc.issuer");
        if (URI.create(issuer).getRawQuery() != null || URI.create(issuer).getRawFragment() != null) {
            throw new IllegalArgumentException("yui.web.oidc.issuer must have no query or fragment: " + issuer);
        }
        if (redirectUri != null && redirectUri.isBlank()) {
            redirectUri = null;
        }
        if (redirectUri != null) {
            URI uri = absolute(redirectUri, "yui.web.oidc.redirect-uri");
            if (!uri.getRawPath().equals(OidcLoginController.CALLBACK)) {
                throw new IllegalArgumentException("yui.web.oidc.redirect-uri must end in "
                        + OidcLoginController.CALLBACK + ": " + redirectUri);
            }
        }
        Objects.requireNonNull(scopes, "scopes");
        if (!scopeList(scopes).contains("openid")) {
            throw new IllegalArgumentException("yui.web.oidc.scopes must include openid: " + scopes);
        }
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        if (loginTimeout.compareTo(Duration.ofMinutes(1)) < 0 || loginTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("yui.web.oidc.login-timeout must be 1 minute to 1 hour: "
                    + loginTimeout);
        }
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("yui.web.oidc.clock-skew must be 0 to 5 minutes: " + clockSkew);
        }
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", redirectUri=" + redirectUri + ", scopes="
                + scopes + ", loginTimeout=" + loginTimeout + ", clockSkew=" + clockSkew + "]";
    }

    /** The scopes, normalised to single spaces. */
    String scope() {
        return String.join(" ", scopeList(scopes));
    }

    private static List<String> scopeList(String scopes) {
        return Arrays.stream(scopes.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The provider's URLs (its issuer and every endpoint its discovery document names) must be https: the client
     * secret, codes and tokens travel over them. Plain http is allowed only to this machine.
     *
     * @throws IllegalArgumentException naming {@code what} and the URL otherwise
     */
    static URI requireSecureOrLoopback(String url, String what) {
        URI uri = absolute(url, what);
        if (uri.getScheme().equalsIgnoreCase("https")) {
            return uri;
        }
        if (uri.getScheme().equalsIgnoreCase("http") && loopback(uri.getHost())) {
            return uri;
        }
        throw new IllegalArgumentException(what + " must be https (or http to localhost): " + url);
    }

    private static URI absolute(String url, String what) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + url, e);
        }
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost would need a lookup, and DNS may say anything
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("yui.web.oidc." + name + " must be set when yui.web.oidc.issuer is");
        }
    }
}
