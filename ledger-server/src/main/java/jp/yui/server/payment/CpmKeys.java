package jp.yui.server.payment;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import jp.yui.merchant.CustomerCodeException;
import jp.yui.merchant.CustomerToken;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;

/**
 * Customer-presented tokens (CPM): a resident's app asks for a token, shows it as a QR code, and a shop's till scans
 * it, checks it offline against the region's public keys, and charges it. A token is signed with the region's
 * Ed25519 key, names the resident, lives {@code yui.payments.cpm-token-ttl} (a minute by default) and pays once:
 * its nonce is spent by the payment (a unique index on {@code payment}).
 *
 * <p>Each region's key pair is made on first use. The private seed sits in {@code cpm_key} beside the data it
 * protects, because the server signs every token itself; a deployment that wants it elsewhere replaces this class.
 */
@Singleton
public class CpmKeys {

    /** How far a till's clock may be behind ours before a fresh token looks expired to us. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);
    /**
     * How long a region's keys are used as read before they are read again, so that a key retired in the database
     * (there is no API for it) is refused by every server process within this time.
     */
    static final Duration KEY_CACHE = Duration.ofSeconds(5);

    private final Db db;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<Long, Keys> cache = new ConcurrentHashMap<>();

    public CpmKeys(Db db, Clock clock, @Value("${yui.payments.cpm-token-ttl:60s}") Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
    }

    private record Key(int keyId, byte[] publicKey, CustomerToken.SigningKey signing, Instant retiredAt) {
    }

    private record Keys(List<Key> keys, Instant readAt) {
    }

    /** A fresh token for the resident, to be shown once as a QR code. */
    public PaymentApi.CpmToken issue(long regionId, UUID residentId) {
        Key key = current(regionId);
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        CustomerToken token = CustomerToken.issue(regionId, key.keyId(), residentId, expires, random.nextLong(), key.signing());
        return new PaymentApi.CpmToken(token.encode(), expires);
    }

    /** The region's public keys, for tills that check tokens offline. */
    public PaymentApi.CpmKeys publicKeys(long regionId) {
        current(regionId);
        List<PaymentApi.CpmKey> keys = db.read(c -> Db.list(c, "select key_id, public_key, retired_at from cpm_key "
                + "where region_id = ? order by key_id", rs -> new PaymentApi.CpmKey(rs.getInt(1),
                Base64.getEncoder().encodeToString(rs.getBytes(2)),
                rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()), regionId));
        return new PaymentApi.CpmKeys(keys);
    }

    /**
     * The token a shop scanned, checked: well formed, of this region, signed by one of its keys, not expired.
     *
     * @throws jp.yui.server.infra.ProblemException 400 {@code invalid-customer-code} for a malformed, foreign or forged
     *     token; 422 {@code customer-code-expired} for an expired one
     */
    public CustomerToken verify(long regionId, String code) {
        CustomerToken token;
        try {
            token = CustomerToken.parse(code);
        } catch (CustomerCodeException e) {
            throw invalid(e.getMessage());
        }
        if (token.regionId() != regionId) {
            throw invalid("the token is of region " + token.regionId() + ", not " + regionId);
        }
        Key key = find(regionId, token.keyId()).orElseThrow(() -> invalid("the token names an unknown key " + token.keyId()));
        if (key.retiredAt() != null) {
            // A key is retired when it must no longer be trusted; tokens live a minute, so none is lost that matters.
            throw invalid("the token's key " + token.keyId() + " was retired at " + key.retiredAt());
        }
        try {
            token.verify(key.publicKey(), clock, CLOCK_TOLERANCE);
        } catch (CustomerCodeException e) {
            if (e.reason() == CustomerCodeException.Reason.EXPIRED) {
                throw Problems.unprocessable("customer-code-expired", "Customer code expired",
                        "the customer's code expired at " + token.expiresAt() + "; ask them to show a fresh one");
            }
            throw invalid(e.getMessage());
        }
        return token;
    }

    private static jp.yui.server.infra.ProblemException invalid(String detail) {
        return Problems.badRequest("invalid-customer-code", "Invalid customer code", detail);
    }

    /** The region's newest key not retired, made on first use. */
    private Key current(long regionId) {
        Optional<Key> key = newest(keys(regionId, false));
        if (key.isEmpty()) {
            key = newest(keys(regionId, true)); // another process may have made one since this one last read
        }
        if (key.isPresent()) {
            return key.get();
        }
        byte[] seed = CustomerToken.newPrivateKeySeed(random);
        db.tx(c -> Db.update(c, "insert into cpm_key (region_id, key_id, public_key, private_seed) values (?, 1, ?, ?) "
                + "on conflict do nothing", regionId, CustomerToken.publicKeyOf(seed), seed));
        // The winner's key, if another request made one at the same moment.
        return newest(keys(regionId, true)).orElseThrow();
    }

    private static Optional<Key> newest(List<Key> keys) {
        return keys.stream().filter(k -> k.retiredAt() == null).reduce((a, b) -> b);
    }

    private Optional<Key> find(long regionId, int keyId) {
        Optional<Key> key = byId(keys(regionId, false), keyId);
        // A key this process has not seen yet: made by another process since this one last read.
        return key.isPresent() ? key : byId(keys(regionId, true), keyId);
    }

    private static Optional<Key> byId(List<Key> keys, int keyId) {
        return keys.stream().filter(k -> k.keyId() == keyId).findFirst();
    }

    /**
     * The region's keys in id order, as read at most {@link #KEY_CACHE} ago (or now, if {@code fresh}): every payment
     * checks its token against them, and they change only when a key is made or retired.
     */
    private List<Key> keys(long regionId, boolean fresh) {
        Instant now = clock.instant();
        Keys known = cache.get(regionId);
        if (!fresh && known != null && !now.isBefore(known.readAt()) && now.isBefore(known.readAt().plus(KEY_CACHE))) {
            return known.keys();
        }
        List<Key> keys = db.read(c -> Db.list(c, "select key_id, public_key, private_seed, retired_at from cpm_key "
                + "where region_id = ? order by key_id", CpmKeys::map, regionId));
        cache.put(regionId, new Keys(List.copyOf(keys), now));
        return keys;
    }

    private static Key map(java.sql.ResultSet rs) throws java.sql.SQLException {
        // Prepared once per read of the keys: signing with it does not work out the public key again for every token.
        return new Key(rs.getInt(1), rs.getBytes(2), CustomerToken.SigningKey.of(rs.getBytes(3)),
                rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant());
    }
}
