package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final String BODY = "{\"type\":\"payment.succeeded\",\"amount\":500}";
    private static final long T = 1_800_000_000L;
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(T + 10), ZoneOffset.UTC);

    @Test
    void signMatchesAnIndependentlyComputedHmac() {
        // echo -n '1800000000.{"type":"payment.succeeded","amount":500}' | openssl dgst -sha256 -hmac whsec_test
        assertThat(WebhookSignature.sign(SECRET, T, BODY))
                .isEqualTo("t=1800000000,v1=" + Hmac.hex(SECRET, T + "." + BODY));
        assertThat(WebhookSignature.sign(SECRET, T, BODY))
                .isEqualTo("t=1800000000,v1=440cc3e3b64a38358b338967871b4898dad6f9c1ad790ad1a356fb0f9ee66674");
    }

    @Test
    void verifyAcceptsWhatSignProduced() {
        String header = WebhookSignature.sign(SECRET, T, BODY);
        assertThatNoException().isThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET,
                WebhookSignature.DEFAULT_TOLERANCE, NOW));
    }

    @Test
    void verifyAcceptsAnyMatchingV1WhileSecretsRotate() {
        String old = WebhookSignature.sign("old-secret", T, BODY);
        String header = old + ",v1=" + WebhookSignature.sign(SECRET, T, BODY).substring(old.indexOf("v1=") + 3);
        assertThatNoException().isThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET,
                WebhookSignature.DEFAULT_TOLERANCE, NOW));
    }

    @Test
    void aChangedBodyIsRefused() {
        String header = WebhookSignature.sign(SECRET, T, BODY);
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY.replace("500", "5000"), SECRET,
                WebhookSignature.DEFAULT_TOLERANCE, NOW))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessage("no Yui-Signature signature matches the body and secret");
    }

    @Test
    void anotherSecretIsRefused() {
        String header = WebhookSignature.sign("someone-else", T, BODY);
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET, WebhookSignature.DEFAULT_TOLERANCE, NOW))
                .isInstanceOf(WebhookSignatureException.class);
    }

    @Test
    void aChangedTimestampIsRefused() {
        String header = WebhookSignature.sign(SECRET, T, BODY).replace("t=" + T, "t=" + (T + 5));
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET, WebhookSignature.DEFAULT_TOLERANCE, NOW))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessage("no Yui-Signature signature matches the body and secret");
    }

    @Test
    void anOldDeliveryIsRefusedOutsideTheTolerance() {
        String header = WebhookSignature.sign(SECRET, T, BODY);
        Clock later = Clock.fixed(Instant.ofEpochSecond(T + 301), ZoneOffset.UTC);
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET, Duration.ofMinutes(5), later))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessage("the webhook was signed 301 s away from this clock, more than the 300 s tolerance");
        Clock justInTime = Clock.fixed(Instant.ofEpochSecond(T + 300), ZoneOffset.UTC);
        assertThatNoException().isThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET, Duration.ofMinutes(5),
                justInTime));
    }

    @Test
    void malformedHeadersSayWhatIsWrong() {
        assertThatThrownBy(() -> WebhookSignature.verify(null, BODY, SECRET, Duration.ZERO, NOW))
                .hasMessage("the Yui-Signature header is missing");
        assertThatThrownBy(() -> WebhookSignature.verify("v1=abc", BODY, SECRET, Duration.ZERO, NOW))
                .hasMessage("the Yui-Signature header has no timestamp: v1=abc");
        assertThatThrownBy(() -> WebhookSignature.verify("t=12", BODY, SECRET, Duration.ZERO, NOW))
                .hasMessage("the Yui-Signature header has no v1 signature: t=12");
        assertThatThrownBy(() -> WebhookSignature.verify("t=x,v1=ab", BODY, SECRET, Duration.ZERO, NOW))
                .hasMessage("the Yui-Signature header has a bad timestamp: t=x,v1=ab");
        assertThatThrownBy(() -> WebhookSignature.verify("garbage", BODY, SECRET, Duration.ZERO, NOW))
                .hasMessage("the Yui-Signature header is malformed: garbage");
    }

    @Test
    void misuseIsAnIllegalArgument() {
        assertThatThrownBy(() -> WebhookSignature.sign("", T, BODY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret must not be empty");
        assertThatThrownBy(() -> WebhookSignature.sign(SECRET, -1, BODY)).hasMessage("epochSeconds must be >= 0: -1");
        assertThatThrownBy(() -> WebhookSignature.verify("t=1,v1=a", BODY, SECRET, Duration.ofSeconds(-1), NOW))
                .hasMessage("tolerance must not be negative: PT-1S");
    }

    /** An HMAC computed without the class under test, to pin the wire format. */
    private static final class Hmac {
        static String hex(String secret, String message) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "HmacSHA256"));
                StringBuilder sb = new StringBuilder();
                for (byte b : mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    sb.append(String.format("%02x", b));
                }
                return sb.toString();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
