package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import jp.yui.merchant.CustomerCodeException.Reason;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CustomerTokenTest {

    /** RFC 8032 §7.1, test 1: a seed whose public key is published, so key derivation is checked independently. */
    private static final byte[] SEED = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] PUBLIC_KEY = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] OTHER_SEED = hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

    private static final long REGION = 7;
    private static final int KEY = 1;
    private static final UUID RESIDENT = UUID.fromString("0190f3a2-7c4e-7d1a-9b2c-3d4e5f607182");
    private static final Instant EXPIRES = Instant.parse("2026-11-22T01:02:03Z");
    private static final long NONCE = 0x0123_4567_89AB_CDEFL;
    private static final Duration TOLERANCE = Duration.ofSeconds(30);
    private static final Clock BEFORE_EXPIRY = at(EXPIRES.minusSeconds(45));

    private static CustomerToken token() {
        return CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, SEED);
    }

    @Nested
    class IssueAndParse {

        @Test
        void publicKeyOfDerivesTheRfc8032Key() {
            assertThat(CustomerToken.publicKeyOf(SEED)).isEqualTo(PUBLIC_KEY);
        }

        @Test
        void parseReadsBackEveryFieldIssueWrote() {
            CustomerToken issued = token();

            CustomerToken parsed = CustomerToken.parse(issued.encode());

            assertThat(parsed).isEqualTo(issued).hasSameHashCodeAs(issued);
            assertThat(parsed.encode()).isEqualTo(issued.encode());
            assertThat(parsed.regionId()).isEqualTo(REGION);
            assertThat(parsed.keyId()).isEqualTo(KEY);
            assertThat(parsed.residentId()).isEqualTo(RESIDENT);
            assertThat(parsed.expiresAt()).isEqualTo(EXPIRES);
            assertThat(parsed.nonce()).isEqualTo(NONCE);
        }

        @Test
        void encodingIsThePrefixAnd146Base64UrlCharacters() {
            String encoded = token().encode();

            assertThat(encoded).hasSize(150).hasSize(CustomerToken.ENCODED_LENGTH).startsWith("yc1.");
            assertThat(encoded.substring(4)).matches("[A-Za-z0-9_-]{146}");
        }

        @Test
        void encodingFollowsTheDocumentedLayoutAndIsAStandardEd25519Signature() throws Exception {
            byte[] all = Base64.getUrlDecoder().decode(token().encode().substring(4));

            byte[] expectedPayload = ByteBuffer.allocate(45).put((byte) 1).putLong(REGION).putInt(KEY)
                    .putLong(RESIDENT.getMostSignificantBits()).putLong(RESIDENT.getLeastSignificantBits())
                    .putLong(EXPIRES.getEpochSecond()).putLong(NONCE).array();
            assertThat(all).hasSize(109);
            assertThat(Arrays.copyOf(all, 45)).isEqualTo(expectedPayload);
            // The JDK's own Ed25519 (Java 15+) as an independent verifier: what a server on a modern JVM could use.
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initVerify(jdkPublicKey(PUBLIC_KEY));
            jdk.update(expectedPayload);
            assertThat(jdk.verify(Arrays.copyOfRange(all, 45, 109))).isTrue();
        }

        @Test
        void ed25519IsDeterministicSoTheSameFieldsGiveTheSameToken() {
            assertThat(token().encode()).isEqualTo(token().encode());
            assertThat(CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE + 1, SEED).encode())
                    .isNotEqualTo(token().encode());
        }

        @Test
        void issueDropsFractionsOfASecondSoTheTokenExpiresEarlyNotLate() {
            CustomerToken issued = CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES.plusMillis(999), NONCE, SEED);

            assertThat(issued.expiresAt()).isEqualTo(EXPIRES);
        }

        @Test
        void aNewSeedSignsTokensItsPublicKeyVerifies() {
            SecureRandom random = new SecureRandom();
            byte[] seed = CustomerToken.newPrivateKeySeed(random);
            byte[] another = CustomerToken.newPrivateKeySeed(random);

            assertThat(seed).hasSize(32).isNotEqualTo(another);
            CustomerToken issued = CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, seed);
            assertThatNoException().isThrownBy(() -> CustomerToken.parse(issued.encode())
                    .verify(CustomerToken.publicKeyOf(seed), BEFORE_EXPIRY, TOLERANCE));
        }

        @Test
        void aPreparedSigningKeySignsExactlyAsItsSeedAndNamesOnlyItsPublicKey() {
            CustomerToken.SigningKey key = CustomerToken.SigningKey.of(SEED);

            assertThat(key.publicKey()).isEqualTo(PUBLIC_KEY);
            for (long nonce = NONCE; nonce < NONCE + 3; nonce++) {
                assertThat(CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, nonce, key).encode())
                        .isEqualTo(CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, nonce, SEED).encode());
            }
            assertThat(key.toString()).isEqualTo("SigningKey[public " + Base64.getEncoder().encodeToString(PUBLIC_KEY) + "]");
            assertThatThrownBy(() -> CustomerToken.SigningKey.of(new byte[31]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("privateKeySeed must have 32 bytes, has 31");
            assertThatThrownBy(() -> CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, (CustomerToken.SigningKey) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("key");
        }

        @Test
        void aKeyCheckedBeforeIsNotMistakenForAnotherOne() {
            // Decoded public keys are remembered: a token must still fail against every other key, and pass its own.
            CustomerToken issued = token();
            byte[] other = CustomerToken.publicKeyOf(OTHER_SEED);
            for (int i = 0; i < 3; i++) {
                assertThatNoException().isThrownBy(() -> issued.verify(PUBLIC_KEY, BEFORE_EXPIRY, TOLERANCE));
                assertThatThrownBy(() -> issued.verify(other, BEFORE_EXPIRY, TOLERANCE))
                        .isInstanceOf(CustomerCodeException.class);
            }
            byte[] altered = PUBLIC_KEY.clone();
            altered[0] ^= 1;
            assertThatThrownBy(() -> issued.verify(altered, BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOfAny(CustomerCodeException.class, IllegalArgumentException.class);
        }

        @Test
        void toStringLeavesOutTheCredentialAndTheResident() {
            CustomerToken issued = token();

            assertThat(issued.toString())
                    .isEqualTo("CustomerToken[region 7, key 1, expires 2026-11-22T01:02:03Z]")
                    .doesNotContain(issued.encode().substring(4, 20))
                    .doesNotContain(RESIDENT.toString());
        }

        @Test
        void issueRefusesBadArguments() {
            assertThatThrownBy(() -> CustomerToken.issue(0, KEY, RESIDENT, EXPIRES, NONCE, SEED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("regionId must be > 0: 0");
            assertThatThrownBy(() -> CustomerToken.issue(REGION, KEY, RESIDENT, Instant.ofEpochSecond(-1), NONCE, SEED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expiresAt must not be before 1970: 1969-12-31T23:59:59Z");
            assertThatThrownBy(() -> CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, new byte[31]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("privateKeySeed must have 32 bytes, has 31");
            assertThatThrownBy(() -> CustomerToken.issue(REGION, KEY, null, EXPIRES, NONCE, SEED))
                    .isInstanceOf(NullPointerException.class).hasMessage("residentId");
            assertThatThrownBy(() -> CustomerToken.publicKeyOf(new byte[33]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("privateKeySeed must have 32 bytes, has 33");
        }
    }

    @Nested
    class Malformed {

        @Test
        void aCodeWithoutThePrefixIsRefused() {
            assertMalformed("YUI-CARD:ABCD-EFGH-JKLM-NPQR",
                    "customer token must start with 'yc1.', starts with 'YUI-'");
            assertMalformed("yc2." + token().encode().substring(4),
                    "customer token must start with 'yc1.', starts with 'yc2.'");
            assertMalformed("", "customer token must start with 'yc1.', starts with ''");
        }

        @Test
        void aTokenOfTheWrongLengthIsRefused() {
            String encoded = token().encode();

            assertMalformed(encoded.substring(0, 149), "customer token must have 150 characters, has 149");
            assertMalformed(encoded + "A", "customer token must have 150 characters, has 151");
            assertMalformed("yc1.", "customer token must have 150 characters, has 4");
        }

        @Test
        void charactersOutsideBase64UrlAreRefused() {
            String encoded = token().encode();

            assertMalformed(encoded.substring(0, 10) + "+" + encoded.substring(11),
                    "customer token has U+002B at index 10, which is not base64url (A-Z a-z 0-9 - _, no padding)");
            assertMalformed(encoded.substring(0, 149) + "=",
                    "customer token has U+003D at index 149, which is not base64url (A-Z a-z 0-9 - _, no padding)");
            assertMalformed(encoded.substring(0, 30) + "あ" + encoded.substring(31),
                    "customer token has U+3042 at index 30, which is not base64url (A-Z a-z 0-9 - _, no padding)");
        }

        @Test
        void aLastCharacterWithUnusedBitsSetIsRefused() {
            String encoded = token().encode();
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char last = encoded.charAt(149);
            // The last character carries 2 bits of the final byte and 4 unused bits, which a canonical encoder zeroes.
            assertThat(alphabet.indexOf(last) & 0xF).isZero();
            char sibling = alphabet.charAt(alphabet.indexOf(last) + 1);

            assertMalformed(encoded.substring(0, 149) + sibling, "customer token's last character '" + sibling
                    + "' has unused bits set, so it is not canonical base64url");
        }

        @Test
        void anotherVersionIsRefused() {
            byte[] all = bytesOf(token());
            all[0] = 2;

            assertMalformed(encode(all), "customer token has version 2, only 1 is supported");
        }

        @Test
        void anExpiryNoInstantCanHoldIsRefused() {
            byte[] all = bytesOf(token());
            ByteBuffer.wrap(all).putLong(29, Long.MAX_VALUE);

            assertMalformed(encode(all),
                    "customer token's expiry 9223372036854775807 is not a time in Unix seconds from 1970");
        }

        @Test
        void nullIsMisuse() {
            assertThatThrownBy(() -> CustomerToken.parse(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("token");
        }

        private void assertMalformed(String text, String message) {
            assertThatThrownBy(() -> CustomerToken.parse(text))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                    .hasMessage(message);
        }
    }

    @Nested
    class Verify {

        @Test
        void aGenuineCurrentTokenVerifies() {
            assertThatNoException().isThrownBy(
                    () -> CustomerToken.parse(token().encode()).verify(PUBLIC_KEY, BEFORE_EXPIRY, TOLERANCE));
        }

        @Test
        void everySingleByteTamperOfPayloadOrSignatureIsRefused() {
            byte[] genuine = bytesOf(token());
            int refused = 0;
            for (int i = 0; i < genuine.length; i++) {
                for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] tampered = genuine.clone();
                    tampered[i] ^= (byte) mask;
                    String text = encode(tampered);
                    long expiry = ByteBuffer.wrap(tampered).getLong(29);
                    String where = "byte " + i + " ^ " + mask;
                    if (i == 0) {
                        assertThatThrownBy(() -> CustomerToken.parse(text)).as(where)
                                .hasMessage("customer token has version " + (tampered[0] & 0xFF)
                                        + ", only 1 is supported");
                    } else if (expiry < 0 || expiry > Instant.MAX.getEpochSecond()) {
                        assertThatThrownBy(() -> CustomerToken.parse(text)).as(where)
                                .hasMessage("customer token's expiry " + expiry
                                        + " is not a time in Unix seconds from 1970");
                    } else {
                        CustomerToken parsed = CustomerToken.parse(text);
                        assertThatThrownBy(() -> parsed.verify(PUBLIC_KEY, BEFORE_EXPIRY, TOLERANCE)).as(where)
                                .isInstanceOfSatisfying(CustomerCodeException.class,
                                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
                                .hasMessage("customer token's signature does not verify with key " + parsed.keyId()
                                        + " of region " + parsed.regionId());
                    }
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(109 * 3);
        }

        @Test
        void anotherKeysSignatureIsRefused() {
            CustomerToken forged = CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, OTHER_SEED);

            assertThatThrownBy(() -> forged.verify(PUBLIC_KEY, BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
                    .hasMessage("customer token's signature does not verify with key 1 of region 7");
        }

        @Test
        void anExpiredTokenIsAcceptedWithinTheToleranceAndRefusedAfterIt() {
            CustomerToken token = token();

            assertThatNoException().isThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES), TOLERANCE));
            assertThatNoException().isThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES.plusSeconds(30)), TOLERANCE));
            assertThatThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES.plusSeconds(31)), TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
                    .hasMessage("customer token expired at 2026-11-22T01:02:03Z, 31 s ago, beyond the 30 s tolerance");
            assertThatThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES.plusMillis(30_001)), TOLERANCE))
                    .hasMessage("customer token expired at 2026-11-22T01:02:03Z, 31 s ago, beyond the 30 s tolerance");
        }

        @Test
        void withNoToleranceTheFirstInstantAfterExpiryIsTooLate() {
            CustomerToken token = token();

            assertThatNoException().isThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES), Duration.ZERO));
            assertThatThrownBy(() -> token.verify(PUBLIC_KEY, at(EXPIRES.plusMillis(1)), Duration.ZERO))
                    .hasMessage("customer token expired at 2026-11-22T01:02:03Z, 1 s ago, beyond the 0 s tolerance");
        }

        @Test
        void aForgedTokenIsReportedAsForgedEvenWhenItIsAlsoExpired() {
            CustomerToken forged = CustomerToken.issue(REGION, KEY, RESIDENT, EXPIRES, NONCE, OTHER_SEED);

            assertThatThrownBy(() -> forged.verify(PUBLIC_KEY, at(EXPIRES.plusSeconds(3600)), TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        }

        @Test
        void theRegionsKeySetChecksRegionThenKeyThenSignature() {
            CustomerToken token = token();

            assertThatNoException().isThrownBy(
                    () -> token.verify(REGION, Map.of(KEY, PUBLIC_KEY), BEFORE_EXPIRY, TOLERANCE));
            assertThatThrownBy(() -> token.verify(8, Map.of(KEY, PUBLIC_KEY), BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_REGION))
                    .hasMessage("customer token is for region 7, not region 8");
            assertThatThrownBy(() -> token.verify(REGION, Map.of(3, PUBLIC_KEY, 2, PUBLIC_KEY), BEFORE_EXPIRY,
                    TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                    .hasMessage("customer token names key 1, which region 7 does not have (it has [2, 3])");
            assertThatThrownBy(() -> token.verify(REGION, Map.of(KEY, CustomerToken.publicKeyOf(OTHER_SEED)),
                    BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOfSatisfying(CustomerCodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        }

        @Test
        void badKeysAndTolerancesAreMisuse() {
            CustomerToken token = token();
            byte[] notOnTheCurve = new byte[32];
            notOnTheCurve[0] = 2;

            assertThatThrownBy(() -> token.verify(new byte[31], BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("publicKey must have 32 bytes, has 31");
            assertThatThrownBy(() -> token.verify(notOnTheCurve, BEFORE_EXPIRY, TOLERANCE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("publicKey is not an Ed25519 public key: invalid public key");
            assertThatThrownBy(() -> token.verify(PUBLIC_KEY, BEFORE_EXPIRY, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("tolerance must not be negative: PT-1S");
        }
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static byte[] bytesOf(CustomerToken token) {
        return Base64.getUrlDecoder().decode(token.encode().substring(4));
    }

    private static String encode(byte[] all) {
        return "yc1." + Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    }

    private static PublicKey jdkPublicKey(byte[] raw) throws Exception {
        // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte header, then the raw key.
        byte[] spki = new byte[44];
        System.arraycopy(hex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(raw, 0, spki, 12, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
