package jp.yui.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The baselines: what a hand-written ledger does with plain JDBC, no Yui code, on tables of its own in the same
 * database. Balances live on the account row ({@code check (balance >= 0)}: no overdraft); a transfer updates both
 * accounts and inserts one row.
 */
final class RawBench {

    /** Each account starts with this much: no transfer of the benchmark can run it dry. */
    static final long FUNDING = 1_000_000_000L;

    static final String SINGLE_DEBIT = "update raw_account set balance = balance - ? where id = ? and balance >= ?";
    static final String SINGLE_CREDIT = "update raw_account set balance = balance + ? where id = ?";
    static final String SINGLE_INSERT = "insert into raw_transfer (id, debit_account_id, credit_account_id, amount) "
            + "values (?, ?, ?, ?)";

    /**
     * A batch of transfers in one statement: net the batch per account, lock those accounts in id order (so
     * concurrent batches cannot deadlock), update each once (the check constraint refuses an overdraft), insert
     * every transfer row. Returns the rows inserted, or 0 if an account is missing.
     */
    static final String BATCH = """
            with t as materialized (
                select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[]) as t(id, dr, cr, amount)
            ), d as materialized (
                select account_id, sum(delta) as delta
                from (select dr as account_id, -amount as delta from t union all select cr, amount from t) x
                group by account_id
            ), l as materialized (
                select a.id from raw_account a where a.id in (select account_id from d) order by a.id for update
            ), u as (
                update raw_account a set balance = a.balance + d.delta from d
                where a.id = d.account_id and (select count(*) from l) = (select count(*) from d)
                returning a.id
            )
            insert into raw_transfer (id, debit_account_id, credit_account_id, amount)
            select id, dr, cr, amount from t where (select count(*) from u) = (select count(*) from d)
            """;

    private final BenchDatabase db;
    private final UUID[] accounts;
    private long committedTransfers;

    RawBench(BenchDatabase db, int accounts) {
        this.db = db;
        this.accounts = new UUID[accounts];
        for (int i = 0; i < accounts; i++) {
            this.accounts[i] = UUID.randomUUID();
        }
    }

    /** Creates the baseline's tables and its funded accounts; the first account is the hot one. */
    void setUp() throws SQLException {
        try (Connection c = db.connect("yui-bench-raw-setup"); Statement s = c.createStatement()) {
            s.execute("create table raw_account (id uuid primary key, balance bigint not null check (balance >= 0))");
            s.execute("create table raw_transfer (id uuid primary key, debit_account_id uuid not null, "
                    + "credit_account_id uuid not null, amount bigint not null check (amount > 0), "
                    + "created_at timestamptz not null default now())");
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into raw_account (id, balance) select unnest(?::uuid[]), ?")) {
                ps.setArray(1, c.createArrayOf("uuid", accounts));
                ps.setLong(2, FUNDING);
                ps.executeUpdate();
            }
            s.execute("vacuum analyze raw_account");
            s.execute("analyze raw_transfer");
        }
    }

    UUID hot() {
        return accounts[0];
    }

    /** One transaction per transfer, as a hand-written ledger does it: {@code threads} JDBC connections. */
    Measured single(String name, int threads, int warmup, int seconds, boolean hot) throws Exception {
        return ClosedLoop.run(name, threads, warmup, seconds, thread -> new SingleWorker(hot));
    }

    /** {@code size} transfers per transaction in one statement. */
    Measured batch(String name, int threads, int warmup, int seconds, int size) throws Exception {
        return ClosedLoop.run(name, threads, warmup, seconds, thread -> new BatchWorker(size));
    }

    private final class SingleWorker implements ClosedLoop.Worker {
        private final boolean hot;
        private final Connection c;
        private final PreparedStatement debit;
        private final PreparedStatement credit;
        private final PreparedStatement insert;
        long committed;

        SingleWorker(boolean hot) throws SQLException {
            this.hot = hot;
            this.c = db.connect("yui-bench-raw");
            c.setAutoCommit(false);
            debit = c.prepareStatement(SINGLE_DEBIT);
            credit = c.prepareStatement(SINGLE_CREDIT);
            insert = c.prepareStatement(SINGLE_INSERT);
        }

        @Override
        public int step() throws Exception {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int a = Workload.debit(accounts, hot, r);
            UUID from = accounts[a];
            UUID to = accounts[Workload.credit(accounts, hot, a, r)];
            long amount = 1 + r.nextInt(100);
            UUID id = Uuids.v7();
            for (int attempt = 1; ; attempt++) {
                try {
                    // Both rows in id order, so two opposite transfers cannot deadlock.
                    if (from.compareTo(to) < 0) {
                        debit(from, amount);
                        credit(to, amount);
                    } else {
                        credit(to, amount);
                        debit(from, amount);
                    }
                    insert.setObject(1, id);
                    insert.setObject(2, from);
                    insert.setObject(3, to);
                    insert.setLong(4, amount);
                    insert.executeUpdate();
                    c.commit();
                    committed++;
                    return 1;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt < 5 && ("40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState()))) {
                        continue;
                    }
                    throw e;
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }

        private void debit(UUID account, long amount) throws SQLException {
            debit.setLong(1, amount);
            debit.setObject(2, account);
            debit.setLong(3, amount);
            if (debit.executeUpdate() != 1) {
                throw new IllegalStateException("insufficient funds or no account: " + account);
            }
        }

        private void credit(UUID account, long amount) throws SQLException {
            credit.setLong(1, amount);
            credit.setObject(2, account);
            if (credit.executeUpdate() != 1) {
                throw new IllegalStateException("no account: " + account);
            }
        }

        @Override
        public void close() throws SQLException {
            synchronized (RawBench.this) {
                committedTransfers += committed;
            }
            c.close();
        }
    }

    private final class BatchWorker implements ClosedLoop.Worker {
        private final int size;
        private final Connection c;
        private final PreparedStatement batch;
        long committed;

        BatchWorker(int size) throws SQLException {
            this.size = size;
            this.c = db.connect("yui-bench-raw-batch");
            c.setAutoCommit(false);
            batch = c.prepareStatement(BATCH);
        }

        @Override
        public int step() throws Exception {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            UUID[] ids = new UUID[size];
            UUID[] dr = new UUID[size];
            UUID[] cr = new UUID[size];
            Long[] amounts = new Long[size];
            for (int i = 0; i < size; i++) {
                int a = Workload.debit(accounts, false, r);
                ids[i] = Uuids.v7();
                dr[i] = accounts[a];
                cr[i] = accounts[Workload.credit(accounts, false, a, r)];
                amounts[i] = 1L + r.nextInt(100);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    batch.setArray(1, c.createArrayOf("uuid", ids));
                    batch.setArray(2, c.createArrayOf("uuid", dr));
                    batch.setArray(3, c.createArrayOf("uuid", cr));
                    batch.setArray(4, c.createArrayOf("bigint", amounts));
                    int rows = batch.executeUpdate();
                    if (rows != size) {
                        throw new IllegalStateException("batch inserted " + rows + " of " + size + " transfers");
                    }
                    c.commit();
                    committed += size;
                    return size;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt < 5 && ("40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState()))) {
                        continue;
                    }
                    throw e;
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }

        @Override
        public void close() throws SQLException {
            synchronized (RawBench.this) {
                committedTransfers += committed;
            }
            c.close();
        }
    }

    /**
     * Checks the baseline's books: money is neither made nor lost (balances sum to the funding), no balance below
     * zero, and every transfer acknowledged is stored once.
     *
     * @return the problems, empty if none
     */
    List<String> check() throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection c = db.connect("yui-bench-raw-check"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select sum(balance) from raw_account), "
                     + "(select count(*) from raw_account where balance < 0), (select count(*) from raw_transfer)")) {
            rs.next();
            long sum = rs.getLong(1);
            long expected = FUNDING * accounts.length;
            if (sum != expected) {
                problems.add("raw balances sum to " + sum + ", not " + expected);
            }
            if (rs.getLong(2) != 0) {
                problems.add(rs.getLong(2) + " raw accounts below zero");
            }
            long stored = rs.getLong(3);
            long acknowledged;
            synchronized (this) {
                acknowledged = committedTransfers;
            }
            if (stored != acknowledged) {
                problems.add(acknowledged + " raw transfers acknowledged but " + stored + " stored");
            }
        }
        return problems;
    }

    /** Bytes on disk per baseline transfer row (table, TOAST and the primary key). */
    Double bytesPerTransfer() throws SQLException {
        try (Connection c = db.connect("yui-bench-raw-size"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_total_relation_size('raw_transfer'), count(*) from raw_transfer")) {
            rs.next();
            return rs.getLong(2) == 0 ? null : Math.round(10.0 * rs.getLong(1) / rs.getLong(2)) / 10.0;
        }
    }
}
