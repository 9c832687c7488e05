package jp.yui.server.infra;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * API keys for merchants' tills and integrations (a step counter's backend). A key is sent as
 * {@code X-Api-Key: <keyId>.<secret>}; the key id names its region ({@code yk<regionId>_<20 hex digits>}), so the
 * lookup is one primary-key read on {@code (region_id, key_id)}. Only the SHA-256 of the secret is stored, and it
 * is compared in constant time. Thread-safe.
 *
 * <p>A till sends its key with every request, so a key found good is trusted for {@code yui.security.api-key-cache}
 * (5 s by default) without reading it again; its secret is still checked every time. So a revoked key is refused
 * within that time: in the process that revoked it at once (unless a request was reading the key at that moment),
 * in other server processes, or after a revocation in SQL, once their reading is that old.
 */
@Singleton
public final class ApiKeys {

    /** The request header that carries a key. */
    public static final String HEADER = "X-Api-Key";

    private static final Pattern KEY_ID = Pattern.compile("yk([1-9][0-9]{0,18})_[0-9a-f]{20}");
    private static final int SECRET_BYTES = 32;
    private static final int MAX_NAME = 200;

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration cacheFor;
    private final SecureRandom random = new SecureRandom();
    /** Keys found good by key id, with when they were read; a key is only ever put here with its stored hash. */
    private final ConcurrentMap<String, Checked> checked = new ConcurrentHashMap<>();

    @Inject
    ApiKeys(DataSource dataSource, Clock clock, SecuritySettings settings) {
        this(dataSource, clock, settings.apiKeyCache());
    }

    ApiKeys(DataSource dataSource, Clock clock, Duration cacheFor) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /** A key as read from the database, good (stored, not revoked) at {@code readAt}. */
    private record Checked(byte[] secretHash, Authentication authentication, Instant readAt) {
    }

    /**
     * A newly issued key. {@link #apiKey()} is the header value; it is shown once and cannot be recovered.
     *
     * @param keyId  the key's public id
     * @param secret the key's secret
     */
    public record IssuedKey(String keyId, String secret) {
        public String apiKey() {
            return keyId + "." + secret;
        }

        @Override
        public String toString() {
            return "IssuedKey[" + keyId + "]";
        }
    }

    /**
     * Issues a key and stores its hash.
     *
     * @param regionId    the region the key acts in, > 0
     * @param role        {@link Roles#MERCHANT} or {@link Roles#INTEGRATION}
     * @param programmeId the programme an integration is bound to; null if none (must be null for a merchant)
     * @param merchantId  the merchant a merchant key acts for; required for {@link Roles#MERCHANT}, else null
     * @param name        what the key is for, shown to admins, 1 to 200 characters
     * @return the key, whose secret is never stored
     * @throws IllegalArgumentException if the arguments break the rules above
     */
    public IssuedKey issue(long regionId, String role, UUID programmeId, UUID merchantId, String name) {
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        if (!Roles.API_KEY_ROLES.contains(role)) {
            throw new IllegalArgumentException("role of an API key must be one of " + Roles.API_KEY_ROLES + ": " + role);
        }
        if (Roles.MERCHANT.equals(role) && (merchantId == null || programmeId != null)) {
            throw new IllegalArgumentException("a merchant key needs a merchantId and no programmeId: merchantId="
                    + merchantId + ", programmeId=" + programmeId);
        }
        if (Roles.INTEGRATION.equals(role) && merchantId != null) {
            throw new IllegalArgumentException("an integration key has no merchantId: " + merchantId);
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME + " characters: \"" + name + "\"");
        }
        byte[] idBytes = new byte[10];
        byte[] secretBytes = new byte[SECRET_BYTES];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String keyId = "yk" + regionId + "_" + HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into api_key (region_id, key_id, secret_hash, role,"
                     + " programme_id, merchant_id, name, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, regionId);
            ps.setString(2, keyId);
            ps.setBytes(3, sha256(secret));
            ps.setString(4, role);
            ps.setObject(5, programmeId);
            ps.setObject(6, merchantId);
            ps.setString(7, name);
            ps.setTimestamp(8, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store API key " + keyId, e);
        }
        return new IssuedKey(keyId, secret);
    }

    /**
     * Revokes a key: requests with it are refused from now on.
     *
     * @return true if the key existed in the region and was not revoked yet
     */
    public boolean revoke(long regionId, String keyId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = ?"
                     + " where region_id = ? and key_id = ? and revoked_at is null")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setLong(2, regionId);
            ps.setString(3, keyId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not revoke API key " + keyId, e);
        } finally {
            checked.remove(keyId);
        }
    }

    /**
     * The caller a header value authenticates: roles {@code [role]}, name the key id, attributes
     * {@code region_id}, {@code key_id} and {@code programme_id} or {@code merchant_id} when set.
     *
     * @param header the {@value #HEADER} header's value; may be null
     * @return empty if the value is malformed, names no key, has the wrong secret, or the key is revoked
     * @throws IllegalStateException if the database cannot be read
     */
    public Optional<Authentication> authenticate(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int dot = header.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String keyId = header.substring(0, dot);
        String secret = header.substring(dot + 1);
        OptionalLong region = regionOf(keyId);
        if (region.isEmpty() || secret.isEmpty() || secret.length() > 100) {
            return Optional.empty();
        }
        long regionId = region.getAsLong();
        Instant now = clock.instant();
        Checked known = checked.get(keyId);
        if (known != null && !now.isBefore(known.readAt()) && now.isBefore(known.readAt().plus(cacheFor))) {
            return MessageDigest.isEqual(known.secretHash(), sha256(secret)) ? Optional.of(known.authentication())
                    : Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select secret_hash, role, programme_id, merchant_id,"
                     + " revoked_at from api_key where region_id = ? and key_id = ?")) {
            ps.setLong(1, regionId);
            ps.setString(2, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    checked.remove(keyId);
                    return Optional.empty();
                }
                byte[] secretHash = rs.getBytes("secret_hash");
                if (rs.getTimestamp("revoked_at") != null) {
                    checked.remove(keyId);
                    return Optional.empty();
                }
                if (!MessageDigest.isEqual(secretHash, sha256(secret))) {
                    return Optional.empty();
                }
                Map<String, Object> attributes = new HashMap<>();
                attributes.put(Caller.REGION_ID, regionId);
                attributes.put(Caller.KEY_ID, keyId);
                UUID programmeId = rs.getObject("programme_id", UUID.class);
                UUID merchantId = rs.getObject("merchant_id", UUID.class);
                if (programmeId != null) {
                    attributes.put(Caller.PROGRAMME_ID, programmeId.toString());
                }
                if (merchantId != null) {
                    attributes.put(Caller.MERCHANT_ID, merchantId.toString());
                }
                Authentication authentication = Authentication.build(keyId, List.of(rs.getString("role")), attributes);
                if (!cacheFor.isZero()) {
                    checked.put(keyId, new Checked(secretHash, authentication, now));
                }
                return Optional.of(authentication);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read API key " + keyId, e);
        }
    }

    /** The region a well-formed key id names ({@code yk<regionId>_<20 hex digits>}); empty for any other text. */
    private static OptionalLong regionOf(String keyId) {
        Matcher m = KEY_ID.matcher(keyId);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether the key with this id exists and is not revoked: for a web session that signed in with the key and keeps
     * only its id. (A key's secret never changes, so the id is enough once the secret was checked at sign-in.)
     *
     * @param keyId a key's public id ({@code yk<regionId>_<20 hex digits>})
     * @return false for a malformed id, an unknown key or a revoked one
     * @throws IllegalStateException if the database cannot be read
     */
    public boolean isActive(String keyId) {
        OptionalLong region = regionOf(Objects.requireNonNull(keyId, "keyId"));
        if (region.isEmpty()) {
            return false;
        }
        long regionId = region.getAsLong();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from api_key"
                     + " where region_id = ? and key_id = ? and revoked_at is null")) {
            ps.setLong(1, regionId);
            ps.setString(2, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read API key " + keyId, e);
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
