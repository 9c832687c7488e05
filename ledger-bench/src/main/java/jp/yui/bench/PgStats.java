package jp.yui.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL did during a scenario: WAL written (from the WAL position, exact), WAL flushes and full-page images
 * (from pg_stat_wal), and with --profile-sql the statements that took the server's time (pg_stat_statements).
 */
final class PgStats {

    private PgStats() {}

    /** Counters at one moment; a counter the server does not offer is null. */
    record Snapshot(long walPosition, Long walFpi, Long walSyncs, Double walSyncMs) {
    }

    static Snapshot take(Connection c) throws SQLException {
        long position;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            position = rs.getLong(1);
        }
        Long fpi = null;
        Long syncs = null;
        Double syncMs = null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select wal_fpi, wal_sync, wal_sync_time from pg_stat_wal")) {
            rs.next();
            fpi = rs.getLong(1);
            syncs = rs.getLong(2);
            syncMs = rs.getDouble(3);
        } catch (SQLException e) {
            // PostgreSQL 18 moved these counters to pg_stat_io; the WAL position is enough there.
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
        return new Snapshot(position, fpi, syncs, syncMs);
    }

    /** WAL per transfer and transfers per WAL flush between two snapshots. */
    static Map<String, Object> wal(Snapshot before, Snapshot after, long transfers, boolean timed) {
        Map<String, Object> m = new LinkedHashMap<>();
        long bytes = after.walPosition() - before.walPosition();
        m.put("transfers", transfers);
        m.put("wal_bytes", bytes);
        m.put("wal_bytes_per_transfer", transfers == 0 ? null : Report.round((double) bytes / transfers, 1));
        if (before.walSyncs() != null && after.walSyncs() != null) {
            long syncs = after.walSyncs() - before.walSyncs();
            m.put("wal_flushes", syncs);
            m.put("transfers_per_wal_flush", syncs == 0 ? null : Report.round((double) transfers / syncs, 1));
            m.put("full_page_images", after.walFpi() - before.walFpi());
            if (timed) {
                double ms = after.walSyncMs() - before.walSyncMs();
                m.put("wal_flush_ms", Report.round(ms, 1));
                m.put("wal_flush_mean_ms", syncs == 0 ? null : Report.round(ms / syncs, 3));
            }
        }
        return m;
    }

    static void enableStatements(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
        }
    }

    static void resetStatements(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("select pg_stat_statements_reset()");
        }
    }

    /** The statements of this database that took the most server time since the last reset, and the total. */
    static Map<String, Object> topStatements(Connection c, int limit, long transfers) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> top = new ArrayList<>();
        String db = "dbid = (select oid from pg_database where datname = current_database())";
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select coalesce(sum(total_exec_time), 0), coalesce(sum(calls), 0), "
                    + "coalesce(sum(total_plan_time), 0) from pg_stat_statements where " + db)) {
                rs.next();
                m.put("server_exec_ms", Report.round(rs.getDouble(1), 1));
                m.put("server_exec_us_per_transfer", transfers == 0 ? null : Report.round(rs.getDouble(1) * 1000 / transfers, 1));
                m.put("server_plan_ms", Report.round(rs.getDouble(3), 1));
                m.put("statements_executed", rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("select query, calls, total_exec_time, mean_exec_time, rows, "
                    + "shared_blks_hit, shared_blks_read, shared_blks_dirtied, wal_bytes, total_plan_time "
                    + "from pg_stat_statements where " + db + " order by total_exec_time + total_plan_time desc limit "
                    + limit)) {
                while (rs.next()) {
                    Map<String, Object> q = new LinkedHashMap<>();
                    String text = rs.getString(1).replaceAll("\\s+", " ").trim();
                    q.put("query", text.length() > 200 ? text.substring(0, 200) + "…" : text);
                    q.put("calls", rs.getLong(2));
                    q.put("total_ms", Report.round(rs.getDouble(3), 1));
                    q.put("mean_ms", Report.round(rs.getDouble(4), 3));
                    q.put("us_per_transfer", transfers == 0 ? null : Report.round(rs.getDouble(3) * 1000 / transfers, 1));
                    q.put("rows", rs.getLong(5));
                    q.put("shared_blks_hit", rs.getLong(6));
                    q.put("shared_blks_read", rs.getLong(7));
                    q.put("shared_blks_dirtied", rs.getLong(8));
                    q.put("wal_bytes", rs.getBigDecimal(9).longValue());
                    q.put("plan_ms", Report.round(rs.getDouble(10), 1));
                    top.add(q);
                }
            }
        }
        m.put("top", top);
        return m;
    }
}
