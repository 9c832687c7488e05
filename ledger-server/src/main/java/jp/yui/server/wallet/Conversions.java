package jp.yui.server.wallet;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Linked;
import jp.yui.server.db.Problems;
import jp.yui.server.program.Programmes;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Points into the local currency at the programme's rate, within a yearly cap per resident. One linked ledger
 * group moves both legs, so there is never a moment when the points left and the yen did not arrive: the points go
 * from the resident's wallet to the asset's redeemed account, the yen from the town's conversion funding into the
 * resident's currency wallet (as a lot of source POINTS: free value, outside the Payment Services Act's count).
 * The yearly cap is reserved under a lock per resident and programme, as awards reserve their caps.
 */
@Singleton
public class Conversions {

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Programmes programmes;
    private final Residents residents;
    private final Clock clock;

    public Conversions(Db db, Ledger ledger, Regions regions, Programmes programmes, Residents residents, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.programmes = programmes;
        this.residents = residents;
        this.clock = clock;
    }

    /** A conversion row: what was reserved against the cap. */
    public record Row(UUID conversionId, UUID programmeId, UUID residentId, long points, long yen, String status) {
    }

    private static Optional<Row> find(java.sql.Connection c, long regionId, UUID conversionId) throws java.sql.SQLException {
        return Db.one(c, "select conversion_id, programme_id, resident_id, points, yen, status from conversion "
                + "where region_id = ? and conversion_id = ?", rs -> new Row(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getLong(4), rs.getLong(5), rs.getString(6)),
                regionId, conversionId);
    }

    /**
     * Posts a reserved conversion's two legs as one linked group and settles the row: DONE if the ledger has them,
     * the reservation deleted if the ledger refused them (never when it says the ids hold something else, since that
     * something moved). If the ledger cannot be reached the row stays PENDING for a retry or the {@code Reconciler}.
     */
    public List<TransferOutcome> settle(long regionId, Row row) {
        Regions.RegionRow region = regions.require(regionId);
        Programmes.ProgrammeRow p = programmes.require(regionId, row.programmeId());
        UUID pointWallet = residents.wallet(regionId, row.residentId(), p.assetCode());
        UUID yenWallet = residents.wallet(regionId, row.residentId(), region.currencyCode());
        Map<String, String> meta = Map.of("programme", row.programmeId().toString(), "conversion", row.conversionId().toString());
        List<TransferOutcome> out = ledger.execute(regionId, List.of(
                TransferRequest.posted(row.conversionId(), pointWallet, Regions.account(regionId, Purpose.REDEEMED,
                        p.assetCode()), row.points(), "CONVERT").withMetadata(meta).linked(),
                TransferRequest.posted(Ids.of(row.conversionId(), "yen"), Regions.account(regionId, Purpose.CONVERSION_FUNDING,
                        region.currencyCode()), yenWallet, row.yen(), "CONVERT").withMetadata(meta).withLot("POINTS")));
        TransferOutcome failed = Linked.firstFailure(out);
        if (failed != null) {
            if (failed.result() != TransferResult.EXISTS_WITH_DIFFERENT_FIELDS) {
                db.tx(c -> Db.update(c, "delete from conversion where region_id = ? and conversion_id = ? "
                        + "and status = 'PENDING'", regionId, row.conversionId()));
            }
            boolean pointsLeg = failed.id().equals(row.conversionId());
            throw LedgerProblems.of(failed, pointsLeg ? "insufficient-points" : "conversion-funding-exhausted",
                    pointsLeg ? "the resident's points" : "the town's conversion funding");
        }
        db.tx(c -> Db.update(c, "update conversion set status = 'DONE' where region_id = ? and conversion_id = ?",
                regionId, row.conversionId()));
        return out;
    }

    /** Conversions PENDING for longer than {@code age}. */
    public List<Object[]> stalePending(java.time.Duration age, int limit) {
        return db.read(c -> Db.list(c, "select region_id, conversion_id from conversion where status = 'PENDING' "
                + "and created_at < now() - make_interval(secs => ?) order by created_at limit ?",
                rs -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)}, (double) age.toSeconds(), limit));
    }

    public Optional<Row> row(long regionId, UUID conversionId) {
        return db.read(c -> find(c, regionId, conversionId));
    }

    public WalletApi.Conversion convert(long regionId, UUID residentId, UUID programmeId, long points, String key) {
        Regions.RegionRow region = regions.require(regionId);
        Programmes.ProgrammeRow p = programmes.require(regionId, programmeId);
        if (p.conversionPoints() == null) {
            throw Problems.unprocessable("conversion-not-offered", "Conversion not offered",
                    "programme " + p.name() + " does not convert its points");
        }
        if (points % p.conversionPoints() != 0) {
            throw Problems.badRequest("validation", "Invalid request", "points must be a multiple of "
                    + p.conversionPoints() + " (" + p.conversionPoints() + " points = ¥" + p.conversionYen() + "): " + points);
        }
        long yen = Math.multiplyExact(points / p.conversionPoints(), (long) p.conversionYen());
        UUID conversionId = Ids.of("conversion", regionId, residentId, key);
        LocalDate today = region.today(clock);
        int fiscalYear = Regions.fiscalYear(today);

        long[] sofar = new long[1];
        db.tx(c -> {
            Db.lock(c, "conversion:" + regionId + ":" + programmeId + ":" + residentId);
            Optional<Row> existing = find(c, regionId, conversionId);
            if (existing.isPresent()) {
                // A retry: it must ask for what the reservation holds, whatever became of the first attempt.
                Row r = existing.get();
                if (!r.programmeId.equals(programmeId) || r.points != points) {
                    throw Problems.unprocessable("idempotency-key-reused", "Idempotency key reused", "this key converted "
                            + r.points + " points of programme " + r.programmeId + " before");
                }
            }
            sofar[0] = Db.sum(c, "select coalesce(sum(yen), 0) from conversion where region_id = ? and programme_id = ? "
                    + "and resident_id = ? and fiscal_year = ?", regionId, programmeId, residentId, fiscalYear);
            if (existing.isPresent()) {
                return null;
            }
            if (sofar[0] + yen > p.conversionYearlyCap()) {
                throw Problems.unprocessable("conversion-cap-exceeded", "Conversion cap exceeded", "resident " + residentId
                        + " converted ¥" + sofar[0] + " this fiscal year; ¥" + yen + " more would pass the cap of ¥"
                        + p.conversionYearlyCap());
            }
            Db.update(c, "insert into conversion (region_id, conversion_id, programme_id, resident_id, points, yen, fiscal_year, "
                    + "status) values (?, ?, ?, ?, ?, ?, ?, 'PENDING')", regionId, conversionId, programmeId, residentId,
                    points, yen, fiscalYear);
            sofar[0] += yen;
            return null;
        });
        Row row = db.read(c -> find(c, regionId, conversionId)).orElseThrow(() -> Problems.conflict(
                "conversion-in-progress", "Conversion in progress", "the same conversion was being decided; retry"));
        List<TransferOutcome> out = settle(regionId, row);
        return new WalletApi.Conversion(conversionId, programmeId, residentId, out.get(0).transfer().amount(),
                out.get(1).transfer().amount(), sofar[0], p.conversionYearlyCap());
    }
}
