package jp.yui.server.program;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Account;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.ExpiryPolicy;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;

/** Point programmes, their activities and budgets. */
@Singleton
public class Programmes {

    /** A programme as the award and conversion flows read it. */
    public record ProgrammeRow(long regionId, UUID programmeId, String name, ProgrammeApi.Kind kind, String assetCode,
            LocalDate validFrom, LocalDate validTo, Long capPerDay, Long capPerMonth, Long capPerYear,
            UUID budgetAccountId, Integer conversionPoints, Integer conversionYen, Long conversionYearlyCap,
            ExpiryPolicy expiry) {

        public boolean activeOn(LocalDate day) {
            return !day.isBefore(validFrom) && !day.isAfter(validTo);
        }
    }

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;

    public Programmes(Db db, Ledger ledger, Regions regions) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
    }

    public ProgrammeApi.Programme create(long regionId, ProgrammeApi.CreateProgramme req) {
        regions.require(regionId);
        if (!"POINTS".equals(regions.assetKind(regionId, req.assetCode()))) {
            throw Problems.badRequest("validation", "Invalid request", "programmes give points: " + req.assetCode()
                    + " is the region's currency");
        }
        requireReasonableDates(req.validFrom(), req.validTo());
        if (req.validFrom().isAfter(req.validTo())) {
            throw Problems.badRequest("validation", "Invalid request", "validFrom " + req.validFrom() + " is after validTo "
                    + req.validTo());
        }
        String expiry = req.expiry() == null ? null : programmeExpiry(req.expiry()).toString();
        UUID id = UUID.randomUUID();
        UUID budget = Ids.of("programme-budget", regionId, id);
        ledger.createAccount(regionId, AccountSpec.of(budget, req.assetCode(), Side.CREDIT, AccountFlag.NO_OVERDRAFT)
                .withLabel("budget " + req.name()));
        ProgrammeApi.Caps caps = req.caps() == null ? new ProgrammeApi.Caps(null, null, null) : req.caps();
        ProgrammeApi.Conversion conv = req.conversion();
        db.tx(c -> {
            // Points of one asset are one pool in the wallet, so one programme per asset sets how they convert; a
            // second rate or cap would let the same points convert twice the yearly amount.
            Db.lock(c, "conversion-offer:" + regionId + ":" + req.assetCode());
            if (conv != null && Db.sum(c, "select count(*) from programme where region_id = ? and asset_code = ? "
                    + "and conversion_points is not null", regionId, req.assetCode()) > 0) {
                throw Problems.conflict("conversion-already-offered", "Conversion already offered",
                        "another programme already converts " + req.assetCode() + " into the currency");
            }
            return Db.update(c, "insert into programme (region_id, programme_id, name, kind, asset_code, valid_from, valid_to, "
                + "cap_per_day, cap_per_month, cap_per_year, budget_account_id, conversion_points, conversion_yen, "
                + "conversion_yearly_cap, expiry_policy) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", regionId, id,
                req.name(), req.kind().name(), req.assetCode(), req.validFrom(), req.validTo(), caps.perDay(), caps.perMonth(),
                caps.perYear(), budget, conv == null ? null : conv.points(), conv == null ? null : conv.yen(),
                conv == null ? null : conv.yearlyCapYen(), expiry);
        });
        return view(regionId, id);
    }

    /** Business dates between 2000 and 2199: anything else is a typo, and beyond PostgreSQL's date range a 500. */
    public static void requireReasonableDates(LocalDate... dates) {
        for (LocalDate d : dates) {
            if (d.getYear() < 2000 || d.getYear() > 2199) {
                throw Problems.badRequest("validation", "Invalid request", "dates must fall in the years 2000 to 2199: " + d);
            }
        }
    }

    private static ExpiryPolicy programmeExpiry(String text) {
        ExpiryPolicy expiry;
        try {
            expiry = ExpiryPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("validation", "Invalid request", e.getMessage());
        }
        if (expiry == ExpiryPolicy.never()) {
            throw Problems.badRequest("validation", "Invalid request",
                    "a programme's expiry is after-days or yearly-on; leave it out to keep the asset's");
        }
        return expiry;
    }

    public ProgrammeApi.Programme view(long regionId, UUID programmeId) {
        ProgrammeRow p = require(regionId, programmeId);
        ProgrammeApi.Caps caps = p.capPerDay() == null && p.capPerMonth() == null && p.capPerYear() == null ? null
                : new ProgrammeApi.Caps(p.capPerDay(), p.capPerMonth(), p.capPerYear());
        ProgrammeApi.Conversion conv = p.conversionPoints() == null ? null
                : new ProgrammeApi.Conversion(p.conversionPoints(), p.conversionYen(), p.conversionYearlyCap());
        return new ProgrammeApi.Programme(p.programmeId(), p.name(), p.kind(), p.assetCode(), p.validFrom(), p.validTo(),
                caps, conv, p.expiry() == null ? null : p.expiry().toString(), p.budgetAccountId(),
                activities(regionId, programmeId));
    }

    public List<ProgrammeApi.Programme> list(long regionId) {
        regions.require(regionId);
        return db.read(c -> Db.list(c, "select programme_id from programme where region_id = ? order by created_at, programme_id",
                rs -> rs.getObject(1, UUID.class), regionId)).stream().map(id -> view(regionId, id)).toList();
    }

    public ProgrammeRow require(long regionId, UUID programmeId) {
        return db.read(c -> find(c, regionId, programmeId)).orElseThrow(() -> Problems.notFound("programme", programmeId));
    }

    public ProgrammeApi.Activity addActivity(long regionId, UUID programmeId, ProgrammeApi.CreateActivity req) {
        require(regionId, programmeId);
        ProgrammeApi.Activity wanted = new ProgrammeApi.Activity(req.code(), req.name(), req.reward(), req.oncePerEvent(),
                req.requiresApproval());
        return db.tx(c -> {
            Db.update(c, "insert into activity (region_id, programme_id, code, name, reward, once_per_event, requires_approval) "
                    + "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing", regionId, programmeId, req.code(), req.name(),
                    req.reward(), req.oncePerEvent(), req.requiresApproval());
            ProgrammeApi.Activity stored = activity(c, regionId, programmeId, req.code()).orElseThrow();
            if (!stored.equals(wanted)) {
                throw Problems.conflict("activity-exists", "Activity exists", "activity " + req.code()
                        + " exists with another definition");
            }
            return stored;
        });
    }

    public ProgrammeApi.Activity requireActivity(long regionId, UUID programmeId, String code) {
        return db.read(c -> activity(c, regionId, programmeId, code))
                .orElseThrow(() -> Problems.notFound("activity", code));
    }

    public List<ProgrammeApi.Activity> activities(long regionId, UUID programmeId) {
        return db.read(c -> Db.list(c, "select code, name, reward, once_per_event, requires_approval from activity "
                + "where region_id = ? and programme_id = ? order by code", Programmes::activity, regionId, programmeId));
    }

    /**
     * Appropriates points to the budget: a ledger transfer from the asset's issued account. The transfer id comes
     * from the caller and their idempotency key, so a retry never appropriates twice.
     */
    public ProgrammeApi.Budget appropriate(long regionId, UUID programmeId, long points, String by, String idempotencyKey) {
        ProgrammeRow p = require(regionId, programmeId);
        TransferOutcome o = ledger.execute(regionId, TransferRequest.posted(
                Ids.of("appropriation", regionId, programmeId, by, idempotencyKey),
                Regions.account(regionId, Purpose.ISSUED, p.assetCode()), p.budgetAccountId(), points, "APPROPRIATION"));
        if (o.result() == TransferResult.EXISTS_WITH_DIFFERENT_FIELDS) {
            throw Problems.unprocessable("idempotency-key-reused", "Idempotency key reused",
                    "this key appropriated " + o.transfer().amount() + " points before");
        }
        if (!o.committed()) {
            throw Problems.conflict("ledger-refused", "Refused by the ledger", o.result().name());
        }
        return budget(regionId, programmeId);
    }

    public ProgrammeApi.Budget budget(long regionId, UUID programmeId) {
        ProgrammeRow p = require(regionId, programmeId);
        Account a = ledger.account(regionId, p.budgetAccountId()).orElseThrow();
        return new ProgrammeApi.Budget(programmeId, p.assetCode(), a.creditsPosted(), a.debitsPosted(), a.availableBalance());
    }

    private static Optional<ProgrammeRow> find(Connection c, long regionId, UUID programmeId) throws SQLException {
        return Db.one(c, "select region_id, programme_id, name, kind, asset_code, valid_from, valid_to, cap_per_day, "
                + "cap_per_month, cap_per_year, budget_account_id, conversion_points, conversion_yen, conversion_yearly_cap, "
                + "expiry_policy from programme where region_id = ? and programme_id = ?", rs -> new ProgrammeRow(rs.getLong(1),
                rs.getObject(2, UUID.class), rs.getString(3), ProgrammeApi.Kind.valueOf(rs.getString(4)), rs.getString(5),
                rs.getObject(6, LocalDate.class), rs.getObject(7, LocalDate.class), (Long) rs.getObject(8),
                (Long) rs.getObject(9), (Long) rs.getObject(10), rs.getObject(11, UUID.class), (Integer) rs.getObject(12),
                (Integer) rs.getObject(13), (Long) rs.getObject(14),
                rs.getString(15) == null ? null : ExpiryPolicy.parse(rs.getString(15))), regionId, programmeId);
    }

    private static Optional<ProgrammeApi.Activity> activity(Connection c, long regionId, UUID programmeId, String code)
            throws SQLException {
        return Db.one(c, "select code, name, reward, once_per_event, requires_approval from activity where region_id = ? "
                + "and programme_id = ? and code = ?", Programmes::activity, regionId, programmeId, code);
    }

    private static ProgrammeApi.Activity activity(ResultSet rs) throws SQLException {
        return new ProgrammeApi.Activity(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4), rs.getBoolean(5));
    }
}
