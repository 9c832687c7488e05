package jp.yui.server.resident;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;
import jp.yui.server.region.Regions;

/** Residents, their printable cards and their wallets (one ledger account per asset, made on first use). */
@Singleton
public class Residents {

    private static final int KNOWN_WALLETS = 200_000;
    private static final char[] CARD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final SecureRandom random = new SecureRandom();
    /** Wallet account ids (unique across regions: derived from region, resident and asset) known to exist. */
    private final java.util.Set<UUID> knownWallets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Residents known to exist; bounded as the wallets are. */
    private final java.util.Set<Known> knownResidents = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Residents(Db db, Ledger ledger, Regions regions) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
    }

    /** Registers a resident (by staff). A subject already registered in the region is a conflict. */
    public ResidentApi.Resident register(long regionId, String displayName, String subject) {
        regions.require(regionId);
        UUID id = UUID.randomUUID();
        String card = newCardCode();
        return db.tx(c -> {
            int inserted = Db.update(c, "insert into resident (region_id, resident_id, subject, display_name, card_code) "
                    + "values (?, ?, ?, ?, ?) on conflict (region_id, subject) where subject is not null do nothing",
                    regionId, id, subject, displayName, card);
            if (inserted == 0) {
                throw Problems.conflict("resident-exists", "Resident exists",
                        "a resident with this subject is already registered in region " + regionId);
            }
            return find(c, regionId, id).orElseThrow();
        });
    }

    /**
     * Self-service: the signed-in person becomes a resident, once; again (even at the same moment) answers the same
     * resident.
     */
    public ResidentApi.Resident registerSelf(long regionId, String subject, String displayName) {
        regions.require(regionId);
        UUID id = UUID.randomUUID();
        String card = newCardCode();
        return db.tx(c -> {
            Db.update(c, "insert into resident (region_id, resident_id, subject, display_name, card_code) values (?, ?, ?, ?, ?) "
                    + "on conflict (region_id, subject) where subject is not null do nothing", regionId, id, subject,
                    displayName, card);
            return bySubject(c, regionId, subject).orElseThrow();
        });
    }

    public ResidentApi.Resident require(long regionId, UUID residentId) {
        return db.read(c -> find(c, regionId, residentId)).orElseThrow(() -> Problems.notFound("resident", residentId));
    }

    /**
     * Checks that the resident exists, as {@link #require} does, without reading them. Residents are never deleted,
     * so one found is remembered, and a payment that names a known payer costs no round trip.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if there is no such resident in the region
     */
    public void requireExists(long regionId, UUID residentId) {
        Known key = new Known(regionId, residentId);
        if (knownResidents.contains(key)) {
            return;
        }
        require(regionId, residentId);
        if (knownResidents.size() >= KNOWN_WALLETS) {
            knownResidents.clear(); // a bound, not a policy: forgetting only costs one more round trip
        }
        knownResidents.add(key);
    }

    private record Known(long regionId, UUID residentId) {
    }

    public ResidentApi.Card card(long regionId, UUID residentId) {
        return db.read(c -> Db.one(c, "select resident_id, display_name, card_code from resident where region_id = ? "
                + "and resident_id = ?", rs -> new ResidentApi.Card(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getString(3)), regionId, residentId)).orElseThrow(() -> Problems.notFound("resident", residentId));
    }

    /**
     * The resident the caller is: from the token's resident_id claim, else by the token's subject. Empty for a
     * caller who is not a registered resident of the region.
     */
    public Optional<UUID> residentOf(Caller caller, long regionId) {
        if (!caller.hasRole(Access.RESIDENT) || caller.regionId().map(r -> r != regionId).orElse(true)) {
            return Optional.empty();
        }
        if (caller.residentId().isPresent()) {
            return caller.residentId();
        }
        return db.read(c -> bySubject(c, regionId, caller.subject())).map(ResidentApi.Resident::residentId);
    }

    /**
     * The resident may act on their own things, staff with one of the roles on anyone's in their region; anyone
     * else gets 403 (and a resident asking about another resident learns nothing more). The resident must exist.
     */
    public void requireSelfOrStaff(Caller caller, long regionId, UUID residentId, String... staffRoles) {
        boolean self = residentOf(caller, regionId).map(residentId::equals).orElse(false);
        if (!self && !Access.has(caller, regionId, staffRoles)) {
            throw Problems.forbidden("only the resident or staff may do this");
        }
        require(regionId, residentId);
    }

    /**
     * The resident's wallet account for an asset, created in the ledger (and mapped) on first use. Wallets known to
     * exist are remembered, so the awards, conversions and top-ups that follow cost no extra round trip.
     */
    public UUID wallet(long regionId, UUID residentId, String assetCode) {
        UUID account = walletId(regionId, residentId, assetCode);
        if (knownWallets.contains(account)) {
            return account;
        }
        Regions.RegionRow region = regions.require(regionId);
        boolean currency = region.currencyCode().equals(assetCode);
        AccountSpec spec = AccountSpec.of(account, assetCode, Side.CREDIT, AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED)
                .withLabel("wallet " + residentId);
        if (currency && region.walletCeiling() != null) {
            spec = spec.withCeiling(region.walletCeiling());
        }
        if (ledger.account(regionId, account).isEmpty()) {
            ledger.createAccount(regionId, spec);
        }
        db.tx(c -> Db.update(c, "insert into wallet (region_id, account_id, resident_id, asset_code) values (?, ?, ?, ?) "
                + "on conflict do nothing", regionId, account, residentId, assetCode));
        if (knownWallets.size() >= KNOWN_WALLETS) {
            knownWallets.clear(); // a bound, not a policy: forgetting only costs one more round trip
        }
        knownWallets.add(account);
        return account;
    }

    /** The wallet's id whether or not it exists yet. */
    public static UUID walletId(long regionId, UUID residentId, String assetCode) {
        return Ids.of("wallet", regionId, residentId, assetCode);
    }

    private String newCardCode() {
        StringBuilder sb = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(CARD_ALPHABET[random.nextInt(CARD_ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static Optional<ResidentApi.Resident> find(Connection c, long regionId, UUID residentId) throws SQLException {
        return Db.one(c, "select resident_id, display_name, subject, created_at from resident where region_id = ? "
                + "and resident_id = ?", Residents::map, regionId, residentId);
    }

    private static Optional<ResidentApi.Resident> bySubject(Connection c, long regionId, String subject) throws SQLException {
        return Db.one(c, "select resident_id, display_name, subject, created_at from resident where region_id = ? "
                + "and subject = ?", Residents::map, regionId, subject);
    }

    private static ResidentApi.Resident map(java.sql.ResultSet rs) throws SQLException {
        return new ResidentApi.Resident(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
    }

}
