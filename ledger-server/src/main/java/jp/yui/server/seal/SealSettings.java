package jp.yui.server.seal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Settings of journal seals ({@code yui.seals}; each also an environment variable, e.g.
 * {@code YUI_SEALS_PRIVATE_KEY_FILE}). The schedule itself reads {@code yui.seals.interval} (default {@code 1d}) and
 * {@code yui.seals.initial-delay} (default {@code 10m}).
 *
 * @param privateKeyFile the server's Ed25519 seal key, a PKCS#8 PEM file ({@code openssl genpkey -algorithm
 *                       ed25519 -out seal-key.pem}), signing the seals of every region; unset: each region gets a
 *                       key generated on first use and kept in the database (for demos: see {@link SealKeys})
 * @param tsaUrl         an RFC 3161 time-stamp authority to stamp every seal; unset: seals are not time-stamped
 * @param tsaTimeout     how long to wait for the authority (connect and answer), default 10 seconds
 */
@ConfigurationProperties("yui.seals")
public record SealSettings(
        @Nullable String privateKeyFile,
        @Nullable String tsaUrl,
        @Bindable(defaultValue = "10s") Duration tsaTimeout) {

    /**
     * @throws IllegalArgumentException if tsaTimeout is not positive
     */
    public SealSettings {
        if (tsaTimeout == null || tsaTimeout.isNegative() || tsaTimeout.isZero()) {
            throw new IllegalArgumentException("yui.seals.tsa-timeout must be positive: " + tsaTimeout);
        }
        privateKeyFile = blankToNull(privateKeyFile);
        tsaUrl = blankToNull(tsaUrl);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
