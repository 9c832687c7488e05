package jp.yui.server.settlement;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;

/**
 * Matching the town's bank statement against what the ledger expects: bank-transfer top-ups arriving (deposits) and
 * payouts leaving (withdrawals). Every line is kept; what matches exactly one expectation is matched by the import,
 * the rest is listed on both sides for a person, whose match is recorded with their name and note.
 *
 * <p>Automatic rules, deliberately strict (a wrong match is worse than none): a withdrawal matches the one scheduled
 * payout of the same amount whose pay date is within {@value #PAYOUT_DAYS} days of the line; a deposit matches the one
 * unmatched bank-transfer top-up of the same amount recorded within {@value #TOPUP_DAYS} days. Two candidates or more:
 * left for a person. A matched payout becomes PAID ({@link Payouts#markPaid}).
 *
 * <p>Re-importing changes nothing: a file already imported (same SHA-256) answers its first import; a line already
 * known from an overlapping file (same date, amount, description, reference, balance and position among identical
 * lines of its file) is not added again.
 */
@Singleton
public class Reconciliation {

    static final int PAYOUT_DAYS = 5;
    static final int TOPUP_DAYS = 3;

    private final Db db;
    private final Regions regions;
    private final Payouts payouts;
    private final JsonMapper json;
    private final Clock clock;

    public Reconciliation(Db db, Regions regions, Payouts payouts, JsonMapper json, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.payouts = payouts;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Imports a statement and matches what it can.
     *
     * @throws ProblemException 400 {@code validation} for a file that is not base64 or not text, a named column missing
     *     from the header, or a mapping that is not one
     */
    public SettlementApi.Imported importStatement(long regionId, SettlementApi.ImportStatement req, String who) {
        regions.require(regionId);
        byte[] file;
        try {
            file = Base64.getDecoder().decode(req.fileBase64().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw invalid("fileBase64 is not base64: " + e.getMessage());
        }
        BankStatementCsv.Result result;
        try {
            result = BankStatementCsv.parse(file, mapping(req.mapping()));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        byte[] sha = sha256(file);
        List<SettlementApi.LineError> errors = result.errors().stream()
                .map(e -> new SettlementApi.LineError(e.lineNumber(), e.reason())).toList();
        UUID importId = Ids.of("bank-import", regionId, Base64.getEncoder().encodeToString(sha));
        int[] counts = db.tx(c -> {
            Db.lock(c, "bank-import:" + regionId);
            if (Db.sum(c, "select count(*) from bank_statement_import where region_id = ? and file_sha256 = ?",
                    regionId, sha) > 0) {
                return null;
            }
            Map<String, Integer> seen = new HashMap<>();
            List<Object[]> fresh = new ArrayList<>();
            for (BankStatementCsv.StatementLine line : result.lines()) {
                String key = line.date() + "|" + line.amount() + "|" + line.description() + "|" + line.reference() + "|"
                        + line.balance();
                int occurrence = seen.merge(key, 1, Integer::sum);
                byte[] fingerprint = sha256((key + "|" + occurrence).getBytes(StandardCharsets.UTF_8));
                UUID lineId = Ids.of("bank-line", regionId, Base64.getEncoder().encodeToString(fingerprint));
                fresh.add(new Object[] {lineId, line, fingerprint});
            }
            Db.update(c, "insert into bank_statement_import (region_id, import_id, file_sha256, file_name, line_count, "
                    + "new_lines, errors, created_by, created_at) values (?, ?, ?, ?, ?, 0, ?::jsonb, ?, ?)", regionId,
                    importId, sha, req.fileName(), result.lines().size(), toJson(errors), who, clock.instant());
            int added = 0;
            for (Object[] f : fresh) {
                BankStatementCsv.StatementLine line = (BankStatementCsv.StatementLine) f[1];
                added += Db.update(c, "insert into bank_statement_line (region_id, line_id, import_id, line_number, value_date, "
                        + "amount, description, reference, balance, fingerprint, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "'UNMATCHED') on conflict do nothing", regionId, f[0], importId, line.lineNumber(), line.date(),
                        line.amount(), line.description(), line.reference(), line.balance(), f[2]);
            }
            Db.update(c, "update bank_statement_import set new_lines = ? where region_id = ? and import_id = ?", added,
                    regionId, importId);
            return new int[] {added};
        });
        if (counts == null) {
            Object[] first = db.read(c -> Db.one(c, "select import_id, line_count, new_lines from bank_statement_import "
                    + "where region_id = ? and file_sha256 = ?", rs -> new Object[] {rs.getObject(1, UUID.class),
                    rs.getInt(2), rs.getInt(3)}, regionId, sha)).orElseThrow();
            return new SettlementApi.Imported((UUID) first[0], true, (Integer) first[1], (Integer) first[2], 0, errors);
        }
        int matched = autoMatch(regionId);
        return new SettlementApi.Imported(importId, false, result.lines().size(), counts[0], matched, errors);
    }

    /** Matches every unmatched line that has exactly one candidate; returns how many it matched. */
    int autoMatch(long regionId) {
        ZoneId zone = regions.require(regionId).zone();
        int matched = 0;
        for (SettlementApi.StatementLine line : unmatchedLines(regionId)) {
            if (line.amount() < 0) {
                List<UUID> candidates = db.read(c -> Db.list(c, "select p.payout_id from payout p join settlement_run r "
                        + "on r.region_id = p.region_id and r.settlement_id = p.settlement_id where p.region_id = ? "
                        + "and p.status = 'SCHEDULED' and r.status = 'DONE' and p.net = ? and p.scheduled_for between ? and ?",
                        rs -> rs.getObject(1, UUID.class), regionId, -line.amount(), line.date().minusDays(PAYOUT_DAYS),
                        line.date().plusDays(PAYOUT_DAYS)));
                if (candidates.size() == 1 && claim(regionId, line.lineId(), "PAYOUT", candidates.get(0), "import",
                        "matched by amount and pay date")) {
                    payouts.markPaid(regionId, candidates.get(0), "bank-statement", "statement line " + line.lineNumber()
                            + " of " + line.date(), line.lineId());
                    matched++;
                }
            } else {
                Instant from = line.date().minusDays(TOPUP_DAYS).atStartOfDay(zone).toInstant();
                Instant to = line.date().plusDays(TOPUP_DAYS + 1).atStartOfDay(zone).toInstant();
                List<UUID> candidates = db.read(c -> Db.list(c, "select topup_id from topup where region_id = ? "
                        + "and channel = 'BANK_TRANSFER' and bank_line_id is null and amount = ? and created_at >= ? "
                        + "and created_at < ?", rs -> rs.getObject(1, UUID.class), regionId, line.amount(), from, to));
                if (candidates.size() == 1 && claim(regionId, line.lineId(), "TOPUP", candidates.get(0), "import",
                        "matched by amount and date")) {
                    matched++;
                }
            }
        }
        return matched;
    }

    /**
     * A person matches a line. A payout match marks it paid; a top-up match records the line on it; OTHER needs only
     * the note.
     *
     * @throws ProblemException 404 for an unknown line or target, 409 {@code already-matched} for a line or target
     *     matched before, or {@code settlement-pending} for a payout whose run is still posting, 422
     *     {@code amount-mismatch} when the amounts differ
     */
    public SettlementApi.StatementLine match(long regionId, UUID lineId, SettlementApi.ManualMatch req, String who) {
        SettlementApi.StatementLine line = line(regionId, lineId).orElseThrow(() -> Problems.notFound("statement line", lineId));
        if (req.kind() != SettlementApi.MatchKind.OTHER && req.id() == null) {
            throw invalid("id is required to match a " + req.kind().name().toLowerCase());
        }
        if (req.kind() == SettlementApi.MatchKind.PAYOUT) {
            SettlementApi.Payout payout = payouts.require(regionId, req.id());
            if (-line.amount() != payout.net()) {
                throw Problems.unprocessable("amount-mismatch", "Amounts differ", "the line moved ¥" + line.amount()
                        + "; the payout is ¥" + payout.net() + " out");
            }
            if (payout.status().equals("PAID")) {
                throw Problems.conflict("already-matched", "Already matched", "payout " + req.id() + " is already paid");
            }
            payouts.requirePosted(regionId, payout);
        } else if (req.kind() == SettlementApi.MatchKind.TOPUP) {
            Object[] topUp = db.read(c -> Db.one(c, "select amount, channel, bank_line_id from topup where region_id = ? "
                    + "and topup_id = ?", rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class)},
                    regionId, req.id())).orElseThrow(() -> Problems.notFound("top-up", req.id()));
            if ((Long) topUp[0] != line.amount() || !"BANK_TRANSFER".equals(topUp[1])) {
                throw Problems.unprocessable("amount-mismatch", "Amounts differ", "the line brought ¥" + line.amount()
                        + "; the top-up is a " + topUp[1] + " of ¥" + topUp[0]);
            }
            if (topUp[2] != null) {
                throw Problems.conflict("already-matched", "Already matched", "top-up " + req.id() + " is already matched");
            }
        }
        if (!claim(regionId, lineId, req.kind().name(), req.id(), who, req.note())) {
            throw Problems.conflict("already-matched", "Already matched", "statement line " + lineId + " is already matched");
        }
        if (req.kind() == SettlementApi.MatchKind.PAYOUT) {
            payouts.markPaid(regionId, req.id(), who, req.note(), lineId);
        }
        return line(regionId, lineId).orElseThrow();
    }

    /**
     * Marks the line matched (and the line on its top-up or payout), unless someone matched either first: two lines
     * matched at the same moment (two imports, or an import and a person) never both take one payout or top-up.
     */
    private boolean claim(long regionId, UUID lineId, String kind, UUID targetId, String who, String note) {
        return db.tx(c -> {
            int updated = Db.update(c, "update bank_statement_line set status = 'MATCHED', matched_kind = ?, matched_id = ?, "
                    + "matched_by = ?, match_note = ?, matched_at = ? where region_id = ? and line_id = ? "
                    + "and status = 'UNMATCHED'", kind, targetId, who, note, clock.instant(), regionId, lineId);
            if (updated == 0) {
                return false;
            }
            if (kind.equals("TOPUP") && Db.update(c, "update topup set bank_line_id = ? where region_id = ? and topup_id = ? "
                    + "and bank_line_id is null", lineId, regionId, targetId) == 0) {
                c.rollback();
                return false;
            }
            if (kind.equals("PAYOUT") && Db.update(c, "update payout set bank_line_id = ? where region_id = ? "
                    + "and payout_id = ? and status = 'SCHEDULED' and bank_line_id is null", lineId, regionId, targetId) == 0) {
                c.rollback();
                return false;
            }
            return true;
        });
    }

    /** What is not reconciled: unmatched lines, bank-transfer top-ups no line shows, payouts not yet paid. */
    public SettlementApi.Unmatched unmatched(long regionId) {
        List<SettlementApi.ExpectedTopUp> topUps = db.read(c -> Db.list(c, "select topup_id, resident_id, amount, created_at "
                + "from topup where region_id = ? and channel = 'BANK_TRANSFER' and bank_line_id is null order by created_at",
                rs -> new SettlementApi.ExpectedTopUp(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3),
                        rs.getTimestamp(4).toInstant()), regionId));
        return new SettlementApi.Unmatched(unmatchedLines(regionId), topUps, payouts.scheduled(regionId));
    }

    private List<SettlementApi.StatementLine> unmatchedLines(long regionId) {
        return db.read(c -> Db.list(c, LINE + "where region_id = ? and status = 'UNMATCHED' order by value_date, line_number",
                Reconciliation::map, regionId));
    }

    private Optional<SettlementApi.StatementLine> line(long regionId, UUID lineId) {
        return db.read(c -> Db.one(c, LINE + "where region_id = ? and line_id = ?", Reconciliation::map, regionId, lineId));
    }

    private static final String LINE = "select line_id, line_number, value_date, amount, description, reference, status, "
            + "matched_kind, matched_id, matched_by, match_note from bank_statement_line ";

    private static SettlementApi.StatementLine map(java.sql.ResultSet rs) throws SQLException {
        return new SettlementApi.StatementLine(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, LocalDate.class),
                rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, UUID.class), rs.getString(10), rs.getString(11));
    }

    private static BankStatementCsv.Mapping mapping(SettlementApi.ColumnMapping m) {
        int headerRows = m.headerRows() == null ? 1 : m.headerRows();
        return new BankStatementCsv.Mapping(column(m.date()), m.dateFormat(), column(m.amount()), column(m.deposit()),
                column(m.withdrawal()), column(m.description()), column(m.reference()), column(m.balance()), headerRows);
    }

    private static BankStatementCsv.Column column(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        return spec.matches("[0-9]{1,3}") ? BankStatementCsv.Column.at(Integer.parseInt(spec))
                : BankStatementCsv.Column.named(spec);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ProblemException invalid(String detail) {
        return Problems.badRequest("validation", "Invalid request", detail);
    }
}
