package jp.yui.server.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;

/**
 * Which URLs the server will POST webhooks to. The server calls URLs that shops choose, so a careless rule would
 * let a shop make it call the town's internal services (SSRF). The rule:
 *
 * <ul>
 *   <li>an absolute {@code https} URL with a host, no user name or password, no fragment, at most 2048 characters;</li>
 *   <li>the host must not be a private, link-local, loopback or otherwise non-public address, neither written as
 *       an IP address nor (checked at each delivery) resolving to one;</li>
 *   <li>with {@code yui.webhooks.allow-insecure-loopback} (tests, demo mode), {@code http} or {@code https} to this
 *       machine ({@code localhost}, 127.0.0.0/8, ::1) is allowed too.</li>
 * </ul>
 *
 * Redirects are never followed (see {@link WebhookDispatcher}), so an allowed URL cannot bounce the server on to a
 * forbidden one. A host that resolves to a public address when checked and to a private one when connected (DNS
 * rebinding) is not caught here; a network egress policy is the defence in depth for that. Stateless.
 */
final class WebhookUrls {

    static final int MAX_LENGTH = 2048;

    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");

    private WebhookUrls() {
    }

    /**
     * Checks a URL a shop wants its webhooks sent to.
     *
     * @param url                   the URL as given; not null
     * @param allowInsecureLoopback whether URLs to this machine are allowed (with http too)
     * @return the parsed URL
     * @throws ProblemException 400 {@code validation} naming what is wrong, if the URL breaks the rule
     */
    static URI check(String url, boolean allowInsecureLoopback) {
        if (url.length() > MAX_LENGTH) {
            throw invalid("url must be at most " + MAX_LENGTH + " characters: " + url.length());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL (" + e.getReason() + "): " + url);
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw invalid("url must be an absolute https URL: " + url);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw invalid("url must use https, not " + scheme + ": " + url);
        }
        String host = uri.getHost();
        if (host == null) {
            throw invalid("url has no valid host name: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not have a fragment (#…): " + url);
        }
        InetAddress literal = literalAddress(host);
        boolean loopback = literal == null ? isLoopbackName(host) : literal.isLoopbackAddress();
        if (loopback) {
            if (!allowInsecureLoopback) {
                throw invalid("url must point at a public host, not this machine (" + host + "): " + url);
            }
            return uri;
        }
        if (literal != null && !isPublic(literal)) {
            throw invalid("url must point at a public host, not the private or reserved address " + host);
        }
        if (!scheme.equals("https")) {
            throw invalid("url must use https (plain http is allowed only to this machine, in tests and demo mode): "
                    + url);
        }
        return uri;
    }

    /**
     * Resolves the URL's host just before a delivery and checks every address it has.
     *
     * @return null if the host may be called, else why not (stored as the attempt's error)
     */
    static String refusal(URI uri, boolean allowInsecureLoopback) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return "unknown host " + uri.getHost();
        }
        for (InetAddress a : addresses) {
            boolean allowed = isPublic(a) || (allowInsecureLoopback && a.isLoopbackAddress());
            if (!allowed) {
                return "host " + uri.getHost() + " resolves to the non-public address " + a.getHostAddress()
                        + "; webhooks go to public hosts only";
            }
        }
        return null;
    }

    /** Whether an address is reachable on the public internet, as opposed to private, local or reserved. */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 != 0                                         // "this network"
                    && !(b0 == 100 && (b1 & 0xc0) == 64)           // 100.64.0.0/10, carrier-grade NAT
                    && !(b0 == 192 && b1 == 0 && b[2] == 0)        // 192.0.0.0/24, IETF protocol assignments
                    && !(b0 == 198 && (b1 == 18 || b1 == 19))      // 198.18.0.0/15, benchmarking
                    && b0 < 240;                                   // 240.0.0.0/4, reserved, and broadcast
        }
        boolean ipv4Compatible = true; // ::/96 embeds an IPv4 address the checks above never saw
        for (int i = 0; i < 12; i++) {
            ipv4Compatible &= b[i] == 0;
        }
        return !ipv4Compatible && (b[0] & 0xfe) != 0xfc;          // fc00::/7, unique local
    }

    /** The address a host written as an IP literal stands for, or null for a host name. Never asks DNS. */
    private static InetAddress literalAddress(String host) {
        try {
            if (host.startsWith("[")) {
                // URI accepted it as an IPv6 literal, so this parses it without a lookup.
                return InetAddress.getByName(host.substring(1, host.length() - 1));
            }
            if (NUMERIC_HOST.matcher(host).matches()) {
                // Only the plain dotted quad: Java (and browsers) would also read "127.1" or "2130706433" as
                // addresses, which is a classic way round filters.
                if (!DOTTED_QUAD.matcher(host).matches()) {
                    throw invalid("url's host is not a valid IPv4 address: " + host);
                }
                return InetAddress.getByName(host);
            }
            return null;
        } catch (UnknownHostException e) {
            throw invalid("url's host is not a valid IP address: " + host);
        }
    }

    private static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost");
    }

    private static ProblemException invalid(String detail) {
        return Problems.badRequest("validation", "Invalid request", detail);
    }
}
