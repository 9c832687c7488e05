package jp.yui.server.award;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Awarding points: programme budget → resident's wallet. An award is decided in three steps so that caps hold
 * under concurrent awards and nothing is lost in a crash:
 * <ol>
 *   <li>under a lock per (programme, resident), check the programme's dates, the once-per-event rule and the caps
 *       (counting awards still PENDING), and commit a PENDING award row that reserves its points;</li>
 *   <li>post the ledger transfer, whose id is the award id: the budget account's NO_OVERDRAFT rule keeps awards
 *       within the budget, and a retry lands on the same transfer;</li>
 *   <li>mark the award DONE, or delete the reservation if the ledger refused.</li>
 * </ol>
 * Awarding the same (programme, activity, event, resident) again answers the award made before.
 */
@Singleton
public class Awards {

    /** An award and whether this call made it. */
    public record Outcome(AwardApi.Award award, boolean created) {
    }

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Programmes programmes;
    private final Residents residents;
    private final Clock clock;

    public Awards(Db db, Ledger ledger, Regions regions, Programmes programmes, Residents residents, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.programmes = programmes;
        this.residents = residents;
        this.clock = clock;
    }

    public Outcome award(long regionId, UUID programmeId, UUID residentId, String activityCode, String eventId, String by) {
        Regions.RegionRow region = regions.require(regionId);
        Programmes.ProgrammeRow p = programmes.require(regionId, programmeId);
        ProgrammeApi.Activity activity = programmes.requireActivity(regionId, programmeId, activityCode);
        residents.require(regionId, residentId);
        UUID awardId = awardId(regionId, programmeId, activityCode, eventId, residentId);

        AwardApi.Award reserved = db.tx(c -> {
            Db.lock(c, "award:" + regionId + ":" + programmeId + ":" + residentId);
            Optional<Row> existing = find(c, regionId, awardId);
            if (existing.isPresent()) {
                return existing.get().status.equals("DONE") ? existing.get().award : null;
            }
            LocalDate today = region.today(clock);
            if (!p.activeOn(today)) {
                throw Problems.unprocessable("programme-not-active", "Programme not active", "programme " + p.name()
                        + " runs from " + p.validFrom() + " to " + p.validTo() + "; today is " + today);
            }
            if (activity.oncePerEvent() && Db.sum(c, "select count(*) from award where region_id = ? and programme_id = ? "
                    + "and resident_id = ? and event_id = ?", regionId, programmeId, residentId, eventId) > 0) {
                throw Problems.conflict("already-awarded-for-event", "Already awarded for this event",
                        "resident " + residentId + " was already awarded for event " + eventId);
            }
            long points = activity.reward();
            checkCap(c, p, residentId, points, today, today, p.capPerDay(), "day");
            checkCap(c, p, residentId, points, today.withDayOfMonth(1), today.withDayOfMonth(today.lengthOfMonth()),
                    p.capPerMonth(), "month");
            LocalDate fyStart = LocalDate.of(Regions.fiscalYear(today), 4, 1);
            checkCap(c, p, residentId, points, fyStart, fyStart.plusYears(1).minusDays(1), p.capPerYear(), "fiscal year");
            Db.update(c, "insert into award (region_id, award_id, programme_id, activity_code, resident_id, event_id, points, "
                    + "status, business_date, created_by) values (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)", regionId, awardId,
                    programmeId, activityCode, residentId, eventId, points, today, by);
            return null;
        });
        if (reserved != null) {
            return new Outcome(reserved, false);
        }

        Row row = db.read(c -> find(c, regionId, awardId)).orElseThrow(() -> Problems.conflict("award-in-progress",
                "Award in progress", "the same award was being decided at the same moment; retry"));
        return settle(regionId, row);
    }

    /** The award id: also the ledger transfer's, so any retry of the same award lands on the same transfer. */
    public static UUID awardId(long regionId, UUID programmeId, String activityCode, String eventId, UUID residentId) {
        return Ids.of("award", regionId, programmeId, activityCode, eventId, residentId);
    }

    /**
     * Posts a reserved award's ledger transfer and settles the row: DONE if the ledger has it (now or before), the
     * reservation deleted if the ledger refused. If the ledger cannot be reached the row stays PENDING, and a retry or
     * the {@link Reconciler} settles it later with the same transfer.
     */
    public Outcome settle(long regionId, Row row) {
        AwardApi.Award a = row.award;
        Regions.RegionRow region = regions.require(regionId);
        Programmes.ProgrammeRow p = programmes.require(regionId, a.programmeId());
        UUID wallet = residents.wallet(regionId, a.residentId(), p.assetCode());
        TransferRequest transfer = TransferRequest.posted(a.awardId(), p.budgetAccountId(), wallet, a.points(), "AWARD")
                .withMetadata(Map.of("programme", a.programmeId().toString(), "activity", a.activityCode(),
                        "event", a.eventId()));
        // The expiry counts from the award's business date, so a retry of the same award asks for the same lot.
        java.time.Instant expiresAt = p.expiry() == null ? null
                : p.expiry().expiresAt(a.businessDate().atTime(12, 0).atZone(region.zone()).toInstant());
        TransferOutcome o = ledger.execute(regionId, expiresAt == null ? transfer.withLot("POINTS")
                : transfer.withLot("POINTS", expiresAt));
        if (!o.committed()) {
            if (o.result() != jp.yui.ledger.TransferResult.EXISTS_WITH_DIFFERENT_FIELDS) {
                db.tx(c -> Db.update(c, "delete from award where region_id = ? and award_id = ? and status = 'PENDING'",
                        regionId, a.awardId()));
            }
            throw LedgerProblems.of(o, "budget-exhausted", "the programme's budget");
        }
        db.tx(c -> Db.update(c, "update award set status = 'DONE' where region_id = ? and award_id = ?", regionId, a.awardId()));
        return new Outcome(a, o.result() == jp.yui.ledger.TransferResult.OK);
    }

    /** Awards PENDING for longer than {@code age}: reservations whose ledger call failed or was cut off. */
    public java.util.List<Object[]> stalePending(java.time.Duration age, int limit) {
        return db.read(c -> Db.list(c, "select region_id, award_id from award where status = 'PENDING' "
                + "and created_at < now() - make_interval(secs => ?) order by created_at limit ?",
                rs -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)}, (double) age.toSeconds(), limit));
    }

    public Optional<Row> row(long regionId, UUID awardId) {
        return db.read(c -> find(c, regionId, awardId));
    }

    private static void checkCap(Connection c, Programmes.ProgrammeRow p, UUID residentId, long points, LocalDate from,
            LocalDate to, Long cap, String period) throws SQLException {
        if (cap == null) {
            return;
        }
        long sofar = Db.sum(c, "select coalesce(sum(points), 0) from award where region_id = ? and programme_id = ? "
                + "and resident_id = ? and business_date between ? and ?", p.regionId(), p.programmeId(), residentId, from, to);
        if (sofar + points > cap) {
            throw Problems.unprocessable("award-cap-exceeded", "Award cap exceeded", "resident " + residentId + " has "
                    + sofar + " points from programme " + p.name() + " this " + period + "; " + points + " more would pass the cap of "
                    + cap);
        }
    }

    public record Row(AwardApi.Award award, String status) {
    }

    private static Optional<Row> find(Connection c, long regionId, UUID awardId) throws SQLException {
        return Db.one(c, "select award_id, programme_id, resident_id, activity_code, event_id, points, business_date, "
                + "created_at, status from award where region_id = ? and award_id = ?", rs -> new Row(new AwardApi.Award(
                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getObject(7, LocalDate.class),
                rs.getObject(8, OffsetDateTime.class).toInstant()), rs.getString(9)), regionId, awardId);
    }
}
