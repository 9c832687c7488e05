package jp.yui.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.infra.ProblemTypes;
import org.junit.jupiter.api.Test;

/** Which URLs a shop may have its webhooks POSTed to: public https only, so the server cannot be aimed inwards. */
class WebhookUrlsTest {

    private static ProblemException refused(String url, boolean allowLoopback) {
        ProblemException[] caught = new ProblemException[1];
        assertThatThrownBy(() -> WebhookUrls.check(url, allowLoopback))
                .isInstanceOfSatisfying(ProblemException.class, e -> caught[0] = e);
        assertThat(caught[0].status()).isEqualTo(400);
        assertThat(caught[0].type()).isEqualTo(ProblemTypes.VALIDATION);
        return caught[0];
    }

    @Test
    void check_httpsToAPublicHostIsAccepted() {
        assertThat(WebhookUrls.check("https://shop.example.jp/hooks/yui?till=1", false))
                .isEqualTo(URI.create("https://shop.example.jp/hooks/yui?till=1"));
        assertThat(WebhookUrls.check("HTTPS://shop.example.jp:8443/h", false).getPort()).isEqualTo(8443);
        assertThat(WebhookUrls.check("https://8.8.8.8/h", false).getHost()).isEqualTo("8.8.8.8");
    }

    @Test
    void check_plainHttpToAPublicHostIsRefusedEvenInDemoMode() {
        assertThat(refused("http://shop.example.jp/hooks", false).detail()).startsWith("url must use https");
        assertThat(refused("http://shop.example.jp/hooks", true).detail()).startsWith("url must use https");
    }

    @Test
    void check_otherSchemesAreRefused() {
        assertThat(refused("ftp://shop.example.jp/hooks", true).detail())
                .isEqualTo("url must use https, not ftp: ftp://shop.example.jp/hooks");
        assertThat(refused("file:///etc/passwd", true).detail()).isEqualTo("url must use https, not file: file:///etc/passwd");
        assertThat(refused("javascript:alert(1)", true).detail()).startsWith("url must be an absolute https URL");
    }

    @Test
    void check_malformedUrlsAreRefusedSayingWhy() {
        assertThat(refused("not a url", true).detail()).startsWith("url is not a valid URL (Illegal character");
        assertThat(refused("/hooks/yui", true).detail()).isEqualTo("url must be an absolute https URL: /hooks/yui");
        assertThat(refused("https:///hooks", true).detail()).isEqualTo("url has no valid host name: https:///hooks");
        assertThat(refused("https://shop_1.example.jp/h", true).detail()).startsWith("url has no valid host name");
        assertThat(refused("https://" + "a".repeat(2040) + ".jp/", true).detail())
                .isEqualTo("url must be at most 2048 characters: 2052");
    }

    @Test
    void check_credentialsAndFragmentsAreRefused() {
        assertThat(refused("https://user:pw@shop.example.jp/h", false).detail())
                .isEqualTo("url must not carry a user name or password");
        assertThat(refused("https://shop.example.jp/h#x", false).detail()).startsWith("url must not have a fragment");
    }

    @Test
    void check_loopbackIsAllowedOnlyWhenConfigured() {
        for (String url : new String[] {"http://127.0.0.1:8080/h", "http://localhost/h", "https://[::1]/h",
            "http://127.3.2.1/h", "http://api.localhost/h"}) {
            assertThat(WebhookUrls.check(url, true)).as(url).isEqualTo(URI.create(url));
            assertThat(refused(url, false).detail()).as(url).startsWith("url must point at a public host, not this machine");
        }
    }

    @Test
    void check_privateAndReservedAddressesAreRefusedEvenOverHttps() {
        for (String host : new String[] {"10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "255.255.255.255", "[fd00::1]", "[fe80::1]", "[::]"}) {
            assertThat(refused("https://" + host + "/h", true).detail()).as(host)
                    .isEqualTo("url must point at a public host, not the private or reserved address " + host);
        }
    }

    @Test
    void check_numericHostsThatAreNotDottedQuadsAreRefused() {
        // Java would read these as 127.0.0.1; a filter that only looks for "127." would not.
        assertThat(refused("https://2130706433/h", true).detail()).isEqualTo("url's host is not a valid IPv4 address: 2130706433");
        assertThat(refused("https://127.1/h", true).detail()).isEqualTo("url has no valid host name: https://127.1/h");
        assertThat(refused("https://010.0.0.1/h", true).detail()).isEqualTo("url's host is not a valid IPv4 address: 010.0.0.1");
    }

    @Test
    void refusal_aHostResolvingToAPrivateAddressIsRefusedAtDelivery() {
        assertThat(WebhookUrls.refusal(URI.create("http://127.0.0.1:9/h"), true)).isNull();
        assertThat(WebhookUrls.refusal(URI.create("https://localhost/h"), false))
                .startsWith("host localhost resolves to the non-public address ");
        assertThat(WebhookUrls.refusal(URI.create("https://nonexistent.invalid/h"), false))
                .isEqualTo("unknown host nonexistent.invalid");
    }

    @Test
    void isPublic_tellsPublicFromPrivateAddresses() throws UnknownHostException {
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("2001:4860:4860::8888"))).isTrue();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("::ffff:10.1.2.3"))).isFalse();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("::10.1.2.3"))).isFalse();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("198.18.0.1"))).isFalse();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("224.0.0.1"))).isFalse();
    }
}
