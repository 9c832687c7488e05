package jp.yui.server.db;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Explicit transactions over the server's data source. The town's flows need their boundaries in plain sight:
 * an award reserves its points under a lock and commits, then the ledger moves value, then the award is settled.
 */
@Singleton
public final class Db {

    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs the work in a transaction and commits; any exception rolls back and is rethrown (SQL ones wrapped). */
    public <T> T tx(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    /** Reads outside a transaction (each statement sees committed data). */
    public <T> T read(Work<T> work) {
        return autoCommit(work);
    }

    /**
     * Runs each statement as a transaction of its own (auto-commit): for work whose one write needs no other
     * statement in its transaction, which saves the round trip of a {@code COMMIT}.
     */
    public <T> T autoCommit(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new DbException(e);
        }
    }

    /**
     * A condition that is always true and lets the transaction of the statement holding it commit without waiting for
     * its WAL to reach the disk ({@code synchronous_commit = off} for that transaction only, as {@code set_config(…,
     * true)} sets it). Only for a write whose loss in a crash loses nothing anyone was told: one that a synchronous
     * commit on the same PostgreSQL always follows before anyone is answered (WAL is flushed in order, so flushing that
     * commit flushes this one), or one that only guards work still under way.
     */
    public static final String WITHOUT_WAITING_FOR_FLUSH = "set_config('synchronous_commit', 'off', true) is not null";

    /** Binds parameters in order; nulls need their SQL type so they go through {@link PreparedStatement#setObject}. */
    public static PreparedStatement bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof java.time.Instant) {
                ps.setObject(i + 1, java.time.OffsetDateTime.ofInstant((java.time.Instant) p, java.time.ZoneOffset.UTC));
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), params)) {
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = list(c, sql, mapper, params);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + rows.size() + ": " + sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static long sum(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Serialises callers that pass the same key until the transaction ends (PostgreSQL advisory lock): caps and
     * yearly limits are checked and reserved under it.
     */
    public static void lock(Connection c, String key) throws SQLException {
        long k = java.util.UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getMostSignificantBits();
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, k);
            ps.execute();
        }
    }

    /** A database failure: answered as 503 by the server. */
    public static final class DbException extends RuntimeException {
        public DbException(SQLException cause) {
            super("database failure: " + cause.getMessage(), cause);
        }
    }
}
