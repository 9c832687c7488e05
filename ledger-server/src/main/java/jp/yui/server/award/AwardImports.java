package jp.yui.server.award;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.program.Programmes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk awards from a CSV of check-up results or event sign-ins. The whole file is checked first: a malformed file
 * is refused (400, every bad line listed) and awards nothing. A good file becomes an import whose rows are
 * awarded one by one in the background, each with its own outcome; progress is readable while it runs, and an
 * import interrupted by a restart carries on where it stopped (each row is idempotent by its event id).
 */
@Singleton
public class AwardImports {

    private static final Logger LOG = LoggerFactory.getLogger(AwardImports.class);
    static final String HEADER = "resident_id,activity_code,event_id";
    static final int MAX_ROWS = 50_000;
    private static final Pattern EVENT = Pattern.compile(AwardApi.EVENT_ID);

    private final Db db;
    private final Awards awards;
    private final Programmes programmes;
    private final java.util.Set<UUID> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "yui-award-import");
        t.setDaemon(true);
        return t;
    });

    public AwardImports(Db db, Awards awards, Programmes programmes) {
        this.db = db;
        this.awards = awards;
        this.programmes = programmes;
    }

    /** A parsed row. */
    record Line(int line, UUID residentId, String activityCode, String eventId) {
    }

    /** Checks the file and starts the import; 400 with every bad line if the file is malformed. */
    public AwardApi.Import start(long regionId, UUID programmeId, String csv, String by) {
        programmes.require(regionId, programmeId);
        List<Line> lines = parse(csv);
        UUID importId = UUID.randomUUID();
        db.tx(c -> {
            Db.update(c, "insert into award_import (region_id, import_id, programme_id, status, total_rows, created_by) "
                    + "values (?, ?, ?, 'RUNNING', ?, ?)", regionId, importId, programmeId, lines.size(), by);
            try (var ps = c.prepareStatement("insert into award_import_row (region_id, import_id, line, resident_id, "
                    + "activity_code, event_id) values (?, ?, ?, ?, ?, ?)")) {
                for (Line l : lines) {
                    Db.bind(ps, regionId, importId, l.line(), l.residentId(), l.activityCode(), l.eventId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        worker.execute(() -> run(regionId, importId));
        return view(regionId, importId, 0, 100);
    }

    static List<Line> parse(String csv) {
        List<String> errors = new ArrayList<>();
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        String[] raw = text.split("\r?\n", -1);
        int last = raw.length;
        while (last > 0 && raw[last - 1].isBlank()) {
            last--;
        }
        if (last == 0 || !raw[0].trim().equalsIgnoreCase(HEADER)) {
            throw malformed(List.of("line 1: the header must be " + HEADER));
        }
        if (last - 1 > MAX_ROWS) {
            throw malformed(List.of("the file has " + (last - 1) + " rows; at most " + MAX_ROWS + " per import"));
        }
        List<Line> lines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < last; i++) {
            int n = i + 1;
            List<String> f;
            try {
                f = Csv.fields(raw[i]);
            } catch (IllegalArgumentException e) {
                errors.add("line " + n + ": " + e.getMessage());
                continue;
            }
            if (f.size() != 3) {
                errors.add("line " + n + ": expected 3 fields, found " + f.size());
                continue;
            }
            UUID resident;
            try {
                resident = UUID.fromString(f.get(0));
            } catch (IllegalArgumentException e) {
                errors.add("line " + n + ": resident_id is not a UUID: " + f.get(0));
                continue;
            }
            if (f.get(1).isEmpty() || f.get(1).length() > 32) {
                errors.add("line " + n + ": activity_code must be 1 to 32 characters");
                continue;
            }
            if (!EVENT.matcher(f.get(2)).matches()) {
                errors.add("line " + n + ": event_id must match " + AwardApi.EVENT_ID + ": " + f.get(2));
                continue;
            }
            if (!seen.add(f.get(0) + "," + f.get(1) + "," + f.get(2))) {
                errors.add("line " + n + ": the same resident, activity and event appear earlier in the file");
                continue;
            }
            lines.add(new Line(n, resident, f.get(1), f.get(2)));
        }
        if (!errors.isEmpty()) {
            throw malformed(errors);
        }
        if (lines.isEmpty()) {
            throw malformed(List.of("the file has a header but no rows"));
        }
        return lines;
    }

    private static ProblemException malformed(List<String> errors) {
        String detail = errors.size() <= 20 ? String.join("; ", errors)
                : String.join("; ", errors.subList(0, 20)) + "; and " + (errors.size() - 20) + " more";
        return Problems.badRequest("malformed-csv", "Malformed CSV", detail);
    }

    /** Awards the rows not yet done, in line order, recording each outcome; at most one run per import here. */
    void run(long regionId, UUID importId) {
        if (!active.add(importId)) {
            return;
        }
        try {
            UUID programmeId = programmeOf(regionId, importId);
            String by = db.read(c -> Db.one(c, "select created_by from award_import where region_id = ? and import_id = ?",
                    rs -> rs.getString(1), regionId, importId)).orElseThrow();
            List<Line> todo = db.read(c -> Db.list(c, "select line, resident_id, activity_code, event_id from award_import_row "
                    + "where region_id = ? and import_id = ? and outcome is null order by line", rs -> new Line(rs.getInt(1),
                    rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)), regionId, importId));
            for (Line l : todo) {
                record(regionId, importId, l, awardWithRetries(regionId, programmeId, l, by));
            }
            db.tx(c -> Db.update(c, "update award_import set status = 'DONE', finished_at = now() where region_id = ? "
                    + "and import_id = ? and status = 'RUNNING'", regionId, importId));
        } catch (RuntimeException e) {
            // The rows done so far are recorded; the reconciler (or the next start) carries on from here.
            LOG.error("award import {} of region {} stopped; it resumes later", importId, regionId, e);
        } finally {
            active.remove(importId);
        }
    }

    /** A row's outcome: its award, or the problem that refused it. The ledger being away is waited out, not recorded. */
    private String[] awardWithRetries(long regionId, UUID programmeId, Line l, String by) {
        for (int attempt = 1; ; attempt++) {
            try {
                Awards.Outcome o = awards.award(regionId, programmeId, l.residentId(), l.activityCode(), l.eventId(), by);
                return new String[] {o.created() ? "AWARDED" : "ALREADY_AWARDED", null, null, o.award().awardId().toString()};
            } catch (ProblemException e) {
                if (e.status() < 500) {
                    return new String[] {"REJECTED", e.type(), e.detail(), null};
                }
                retryOrGiveUp(attempt, e);
            } catch (RuntimeException e) {
                retryOrGiveUp(attempt, e);
            }
        }
    }

    private static void retryOrGiveUp(int attempt, RuntimeException e) {
        if (attempt >= 6) {
            throw e;
        }
        try {
            Thread.sleep(500L << attempt);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Records a row's outcome once; the count of done rows is recounted, so two runs cannot count a row twice. */
    private void record(long regionId, UUID importId, Line l, String[] o) {
        db.tx(c -> {
            Db.update(c, "update award_import_row set outcome = ?, problem_type = ?, detail = ?, award_id = ? "
                    + "where region_id = ? and import_id = ? and line = ? and outcome is null", o[0], o[1], o[2],
                    o[3] == null ? null : UUID.fromString(o[3]), regionId, importId, l.line());
            return Db.update(c, "update award_import set done_rows = (select count(*) from award_import_row where "
                    + "region_id = ? and import_id = ? and outcome is not null) where region_id = ? and import_id = ?",
                    regionId, importId, regionId, importId);
        });
    }

    /** Imports a restart interrupted carry on. */
    @EventListener
    void onStartup(StartupEvent event) {
        resumeIdle();
    }

    /** Starts every import that is RUNNING in the database but not running in this process. */
    public void resumeIdle() {
        List<Object[]> running = db.read(c -> Db.list(c, "select region_id, import_id from award_import where status = 'RUNNING'",
                rs -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)}));
        for (Object[] r : running) {
            if (!active.contains((UUID) r[1])) {
                LOG.info("resuming award import {} of region {}", r[1], r[0]);
                worker.execute(() -> run((Long) r[0], (UUID) r[1]));
            }
        }
    }

    public AwardApi.Import view(long regionId, UUID importId, int afterLine, int limit) {
        return db.read(c -> {
            Object[] head = Db.one(c, "select programme_id, status, total_rows, done_rows from award_import where region_id = ? "
                    + "and import_id = ?", rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                    rs.getInt(4)}, regionId, importId).orElseThrow(() -> Problems.notFound("award import", importId));
            Map<String, Integer> outcomes = new LinkedHashMap<>();
            for (Object[] o : Db.list(c, "select outcome, count(*) from award_import_row where region_id = ? and import_id = ? "
                    + "and outcome is not null group by outcome order by outcome", rs -> new Object[] {rs.getString(1), rs.getInt(2)},
                    regionId, importId)) {
                outcomes.put((String) o[0], (Integer) o[1]);
            }
            List<AwardApi.ImportRow> rows = Db.list(c, "select line, resident_id, activity_code, event_id, outcome, problem_type, "
                    + "detail, award_id from award_import_row where region_id = ? and import_id = ? and line > ? order by line "
                    + "limit ?", rs -> new AwardApi.ImportRow(rs.getInt(1), rs.getObject(2, UUID.class), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, UUID.class)),
                    regionId, importId, afterLine, limit + 1);
            Integer next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                next = rows.get(limit - 1).line();
            }
            return new AwardApi.Import(importId, (UUID) head[0], (String) head[1], (Integer) head[2], (Integer) head[3],
                    outcomes, rows, next);
        });
    }

    /** Which programme an import belongs to, or 404. */
    public UUID programmeOf(long regionId, UUID importId) {
        return db.read(c -> Db.one(c, "select programme_id from award_import where region_id = ? and import_id = ?",
                rs -> rs.getObject(1, UUID.class), regionId, importId)).orElseThrow(() -> Problems.notFound("award import", importId));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
