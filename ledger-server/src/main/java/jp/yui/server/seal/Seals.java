package jp.yui.server.seal;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import jp.yui.ledger.PostgresJournal;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals of regions' journals (table {@code seal}): the chain head signed with the region's seal key
 * ({@link SealKeys}), time-stamped by an RFC 3161 authority when one is configured ({@link TsaClient}). Made on
 * demand, and on a schedule ({@code yui.seals.interval}, default daily) for every region whose head moved since its
 * last seal.
 *
 * <p>A region's seals are made one at a time under a transaction-scoped advisory lock, which also numbers them
 * without gaps. The time-stamp is asked for inside that transaction: a seal is written with its token or not at
 * all, because a configured authority is a promise that every seal carries a time (if it cannot be reached, the
 * on-demand seal answers 503 and the schedule tries again next time). Seals are append-only (triggers refuse
 * changes).
 */
@Singleton
public class Seals {

    private static final Logger LOG = LoggerFactory.getLogger(Seals.class);
    static final String SCHEDULER = "scheduler";

    private final Db db;
    private final PostgresJournal journal;
    private final SealKeys keys;
    private final TsaClient tsa;
    private final Regions regions;
    private final Clock clock;

    public Seals(Db db, PostgresJournal journal, SealKeys keys, TsaClient tsa, Regions regions, Clock clock) {
        this.db = db;
        this.journal = journal;
        this.keys = keys;
        this.tsa = tsa;
        this.regions = regions;
        this.clock = clock;
    }

    /** A stored seal with what the API and the export show of it. */
    record SealRow(SealStatement statement, byte[] signature, byte[] tsaToken, Instant tsaTime, String tsaAuthority,
            String trigger, String sealedBy) {

        SealApi.Seal toApi() {
            SealStatement s = statement;
            SealApi.Timestamp timestamp = tsaToken == null ? SealApi.Timestamp.NONE
                    : new SealApi.Timestamp("STAMPED", tsaTime, tsaAuthority, Base64.getEncoder().encodeToString(tsaToken));
            return new SealApi.Seal(s.regionId(), s.sealSeq(), s.batchSeq(), s.lastSeq(), s.headHash(), s.sealedAt(),
                    s.keyId(), Base64.getEncoder().encodeToString(signature), trigger, sealedBy, timestamp);
        }
    }

    /**
     * Seals the region's journal head now, even if an earlier seal already covers it (a later seal, and its
     * time-stamp, shows the head was still the same then).
     *
     * @param by the caller's subject, recorded with the seal
     * @throws ProblemException 404 if the region is unknown; 503 {@code tsa-unavailable} if a time-stamp authority
     *                          is configured and did not stamp the seal (nothing is written)
     */
    public SealApi.Seal seal(long regionId, String by) {
        regions.require(regionId);
        return make(regionId, "ON_DEMAND", by, false).orElseThrow().toApi();
    }

    @Scheduled(fixedDelay = "${yui.seals.interval:1d}", initialDelay = "${yui.seals.initial-delay:10m}")
    void sealOnSchedule() {
        sealAll();
    }

    /**
     * Seals every region whose journal head moved since its last seal (a region never sealed counts as moved once it
     * has a transfer). A region that fails is logged and left for the next run.
     *
     * @return the seals made
     */
    public List<SealApi.Seal> sealAll() {
        List<SealApi.Seal> made = new ArrayList<>();
        for (long regionId : regions.ids()) {
            try {
                make(regionId, "SCHEDULED", SCHEDULER, true).ifPresent(row -> {
                    made.add(row.toApi());
                    LOG.info("region {}: seal {} of batch {} (seq {})", regionId, row.statement().sealSeq(),
                            row.statement().batchSeq(), row.statement().lastSeq());
                });
            } catch (RuntimeException e) {
                LOG.error("sealing region {} failed; the next run tries again", regionId, e);
            }
        }
        return made;
    }

    /**
     * A page of the region's seals, oldest first.
     *
     * @throws ProblemException 404 if the region is unknown
     */
    public SealApi.SealPage list(long regionId, long afterSeq, int limit) {
        regions.require(regionId);
        List<SealRow> rows = db.read(c -> Db.list(c, "select " + COLUMNS + " from seal where region_id = ? and seal_seq > ? "
                + "order by seal_seq limit ?", Seals::row, regionId, afterSeq, limit + 1));
        boolean more = rows.size() > limit;
        List<SealApi.Seal> page = rows.stream().limit(limit).map(SealRow::toApi).toList();
        return new SealApi.SealPage(page, more ? page.get(page.size() - 1).sealSeq() : null);
    }

    /**
     * The region's public seal key as PEM ({@link SealKeys#publicKeyPem}).
     *
     * @param keyId a key that signed earlier seals; null for the key that signs the next
     * @throws ProblemException 404 if the region is unknown or keyId names no key of it
     */
    public String publicKeyPem(long regionId, String keyId) {
        regions.require(regionId);
        return keys.publicKeyPem(regionId, keyId);
    }

    /** The region's seals whose head is one of batches {@code fromBatchSeq} to {@code toBatchSeq}, oldest first. */
    List<SealRow> sealing(long regionId, long fromBatchSeq, long toBatchSeq) {
        return db.read(c -> Db.list(c, "select " + COLUMNS + " from seal where region_id = ? and batch_seq between ? and ? "
                + "order by seal_seq", Seals::row, regionId, fromBatchSeq, toBatchSeq));
    }

    /** Serialises the making of a region's seals (and its key) until the transaction ends. */
    static void lockRegion(Connection c, long regionId) throws SQLException {
        Db.lock(c, "seal:" + regionId);
    }

    private Optional<SealRow> make(long regionId, String trigger, String by, boolean onlyIfMoved) {
        return db.tx(c -> {
            lockRegion(c, regionId);
            PostgresJournal.Head head = journal.head(regionId);
            Optional<long[]> last = Db.one(c, "select seal_seq, batch_seq from seal where region_id = ? "
                    + "order by seal_seq desc limit 1", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, regionId);
            if (onlyIfMoved && (last.isPresent() ? last.get()[1] == head.batchSeq() : head.batchSeq() == 0)) {
                return Optional.empty();
            }
            SealKeys.Signer signer = keys.signer(c, regionId);
            SealStatement statement = new SealStatement(regionId, last.map(l -> l[0] + 1).orElse(1L), head.batchSeq(),
                    head.lastSeq(), head.hash(), clock.instant().truncatedTo(ChronoUnit.MICROS), signer.keyId());
            byte[] signature = Ed25519Keys.sign(signer.key(), statement.bytes());
            Rfc3161.Stamp stamp = null;
            if (tsa.url().isPresent()) {
                try {
                    stamp = tsa.stamp(statement.digest());
                } catch (Rfc3161.TimestampException e) {
                    throw new ProblemException(503, Problems.BASE + "tsa-unavailable", "Time-stamp authority unavailable",
                            "seal not made: " + e.getMessage());
                }
            }
            Db.update(c, "insert into seal (region_id, seal_seq, batch_seq, last_seq, head_hash, sealed_at, key_id, "
                    + "signature, tsa_token, tsa_time, tsa_authority, trigger, sealed_by) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", regionId, statement.sealSeq(), statement.batchSeq(),
                    statement.lastSeq(), HexFormat.of().parseHex(statement.headHash()), statement.sealedAt(),
                    statement.keyId(), signature, stamp == null ? null : stamp.token(),
                    stamp == null ? null : stamp.time(), stamp == null ? null : stamp.authority(), trigger, by);
            return Optional.of(new SealRow(statement, signature, stamp == null ? null : stamp.token(),
                    stamp == null ? null : stamp.time(), stamp == null ? null : stamp.authority(), trigger, by));
        });
    }

    private static final String COLUMNS = "region_id, seal_seq, batch_seq, last_seq, head_hash, sealed_at, key_id, "
            + "signature, tsa_token, tsa_time, tsa_authority, trigger, sealed_by";

    private static SealRow row(ResultSet rs) throws SQLException {
        SealStatement statement = new SealStatement(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                HexFormat.of().formatHex(rs.getBytes(5)), instant(rs, 6), rs.getString(7));
        return new SealRow(statement, rs.getBytes(8), rs.getBytes(9), instant(rs, 10), rs.getString(11), rs.getString(12),
                rs.getString(13));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
