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

    private final Db db;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    public CpmKeys(Db db, Clock clock, @Value("${yui.payments.cpm-token-ttl:60s}") Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
    }

    private record Key(int keyId, byte[] publicKey, byte[] seed, Instant retiredAt) {
    }

    /** A fresh token for the resident, to be shown once as a QR code. */
    public PaymentApi.CpmToken issue(long regionId, UUID residentId) {
        Key key = current(regionId);
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        CustomerToken token = CustomerToken.issue(regionId, key.keyId(), residentId, expires, random.nextLong(), key.seed());
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

    private Key current(long regionId) {
        Optional<Key> key = db.read(c -> Db.one(c, "select key_id, public_key, private_seed, retired_at from cpm_key "
                + "where region_id = ? and retired_at is null order by key_id desc limit 1", CpmKeys::map, regionId));
        if (key.isPresent()) {
            return key.get();
        }
        byte[] seed = CustomerToken.newPrivateKeySeed(random);
        db.tx(c -> Db.update(c, "insert into cpm_key (region_id, key_id, public_key, private_seed) values (?, 1, ?, ?) "
                + "on conflict do nothing", regionId, CustomerToken.publicKeyOf(seed), seed));
        return current(regionId); // the winner's key, if another request made one at the same moment
    }

    private Optional<Key> find(long regionId, int keyId) {
        return db.read(c -> Db.one(c, "select key_id, public_key, private_seed, retired_at from cpm_key "
                + "where region_id = ? and key_id = ?", CpmKeys::map, regionId, keyId));
    }

    private static Key map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Key(rs.getInt(1), rs.getBytes(2), rs.getBytes(3),
                rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant());
    }
}
