package jp.yui.server.award;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;

/**
 * Volunteer claims: a resident says they helped at an event; a coordinator approves (which awards the points) or
 * rejects. Claiming the same event again answers the first claim; a decided claim cannot be decided again.
 */
@Singleton
public class Claims {

    private final Db db;
    private final Programmes programmes;
    private final Awards awards;

    public Claims(Db db, Programmes programmes, Awards awards) {
        this.db = db;
        this.programmes = programmes;
        this.awards = awards;
    }

    public AwardApi.Claim create(long regionId, UUID programmeId, UUID residentId, AwardApi.CreateClaim req) {
        programmes.require(regionId, programmeId);
        ProgrammeApi.Activity activity = programmes.requireActivity(regionId, programmeId, req.activityCode());
        if (!activity.requiresApproval()) {
            throw Problems.unprocessable("activity-not-claimable", "Activity not claimable",
                    "activity " + req.activityCode() + " is awarded directly, not claimed");
        }
        UUID claimId = UUID.randomUUID();
        return db.tx(c -> {
            Db.update(c, "insert into claim (region_id, claim_id, programme_id, activity_code, resident_id, event_id, note, "
                    + "status) values (?, ?, ?, ?, ?, ?, ?, 'PENDING') on conflict do nothing", regionId, claimId, programmeId,
                    req.activityCode(), residentId, req.eventId(), req.note() == null ? "" : req.note());
            return Db.one(c, SELECT + " where region_id = ? and programme_id = ? and activity_code = ? and event_id = ? "
                    + "and resident_id = ?", Claims::map, regionId, programmeId, req.activityCode(), req.eventId(), residentId)
                    .orElseThrow();
        });
    }

    public List<AwardApi.Claim> list(long regionId, UUID programmeId, String status, int limit) {
        programmes.require(regionId, programmeId);
        return db.read(c -> Db.list(c, SELECT + " where region_id = ? and programme_id = ? and (cast(? as text) is null or status = ?) "
                + "order by created_at, claim_id limit ?", Claims::map, regionId, programmeId, status, status, limit));
    }

    public AwardApi.Claim require(long regionId, UUID programmeId, UUID claimId) {
        return db.read(c -> find(c, regionId, claimId)).filter(cl -> cl.programmeId().equals(programmeId))
                .orElseThrow(() -> Problems.notFound("claim", claimId));
    }

    /**
     * Approves and awards. The claim is taken (PENDING to APPROVED) before the points move, so a rejection at the same
     * moment either wins (nothing is awarded) or loses (409); if the award is refused (a cap, the budget) the claim
     * goes back to PENDING. Approving an approved claim again answers it and completes its award if a failure cut it
     * off; approving a rejected one is a conflict.
     */
    public AwardApi.Claim approve(long regionId, UUID programmeId, UUID claimId, String note, String by) {
        AwardApi.Claim claim = require(regionId, programmeId, claimId);
        UUID awardId = Awards.awardId(regionId, programmeId, claim.activityCode(), claim.eventId(), claim.residentId());
        int taken = db.tx(c -> Db.update(c, "update claim set status = 'APPROVED', decided_by = ?, decision_note = ?, "
                + "award_id = ?, decided_at = now() where region_id = ? and claim_id = ? and status = 'PENDING'", by, note,
                awardId, regionId, claimId));
        AwardApi.Claim now = require(regionId, programmeId, claimId);
        if (taken == 0 && !now.status().equals("APPROVED")) {
            requirePending(now);
        }
        try {
            awards.award(regionId, programmeId, claim.residentId(), claim.activityCode(), claim.eventId(),
                    now.decidedBy() == null ? by : now.decidedBy());
        } catch (jp.yui.server.infra.ProblemException e) {
            if (taken > 0 && e.status() < 500) {
                db.tx(c -> Db.update(c, "update claim set status = 'PENDING', decided_by = null, decision_note = null, "
                        + "award_id = null, decided_at = null where region_id = ? and claim_id = ? and status = 'APPROVED'",
                        regionId, claimId));
            }
            throw e;
        }
        return require(regionId, programmeId, claimId);
    }

    public AwardApi.Claim reject(long regionId, UUID programmeId, UUID claimId, String note, String by) {
        AwardApi.Claim claim = require(regionId, programmeId, claimId);
        if (claim.status().equals("REJECTED")) {
            return claim;
        }
        requirePending(claim);
        return db.tx(c -> {
            Db.update(c, "update claim set status = 'REJECTED', decided_by = ?, decision_note = ?, decided_at = now() "
                    + "where region_id = ? and claim_id = ? and status = 'PENDING'", by, note, regionId, claimId);
            AwardApi.Claim after = find(c, regionId, claimId).orElseThrow();
            requireNot(after, "APPROVED");
            return after;
        });
    }

    private static void requirePending(AwardApi.Claim claim) {
        if (!claim.status().equals("PENDING")) {
            throw Problems.conflict("claim-already-decided", "Claim already decided",
                    "claim " + claim.claimId() + " was " + claim.status().toLowerCase());
        }
    }

    private static void requireNot(AwardApi.Claim claim, String status) {
        if (claim.status().equals(status)) {
            requirePending(claim);
        }
    }

    private static final String SELECT = "select claim_id, programme_id, resident_id, activity_code, event_id, note, status, "
            + "decided_by, decision_note, award_id, created_at from claim";

    private static Optional<AwardApi.Claim> find(Connection c, long regionId, UUID claimId) throws SQLException {
        return Db.one(c, SELECT + " where region_id = ? and claim_id = ?", Claims::map, regionId, claimId);
    }

    private static AwardApi.Claim map(java.sql.ResultSet rs) throws SQLException {
        return new AwardApi.Claim(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getObject(10, UUID.class), rs.getObject(11, OffsetDateTime.class).toInstant());
    }
}
