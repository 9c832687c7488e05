package jp.yui.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The single writer of one region. Submissions wait in a bounded queue; whoever finds the writer idle schedules
 * a drain on the shared executor, which commits what is waiting (whole submissions, up to the batch limit) as
 * one transaction per batch and completes the futures only after the commit returned. Group commit comes for
 * free: while one batch commits, the next one gathers.
 */
final class RegionWriter {

    private static final Logger LOG = Logger.getLogger(RegionWriter.class.getName());
    private static final int RETRIES = 3;

    /** A submission, or a sweep step ({@code sweepAfter} set). */
    private static final class Job {
        final List<TransferRequest> requests;
        final UUID sweepAfter;
        final CompletableFuture<PgBatch.Result> done = new CompletableFuture<>();
        int offset;

        Job(List<TransferRequest> requests, UUID sweepAfter) {
            this.requests = requests;
            this.sweepAfter = sweepAfter;
        }
    }

    private final long regionId;
    private final DataSource dataSource;
    private final Clock clock;
    private final Map<String, Asset> assets;
    private final Executor executor;
    private final int maxBatch;
    private final int capacity;
    private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** What this writer last committed; touched only by the thread that drains. */
    private final RegionState state = new RegionState();

    RegionWriter(long regionId, DataSource dataSource, LedgerOptions options, Map<String, Asset> assets,
            Executor executor) {
        this.regionId = regionId;
        this.dataSource = dataSource;
        this.clock = options.clock();
        this.assets = assets;
        this.executor = executor;
        this.maxBatch = options.maxBatch();
        this.capacity = options.queueCapacity();
    }

    CompletableFuture<List<TransferOutcome>> submit(List<TransferRequest> requests) {
        Job job = new Job(requests, null);
        int size = Math.max(1, requests.size());
        int after = queued.addAndGet(size);
        if (after > capacity && after > size) {
            queued.addAndGet(-size);
            return CompletableFuture.failedFuture(new LedgerOverloadedException(regionId, after - size, capacity));
        }
        enqueue(job);
        return job.done.thenApply(r -> List.copyOf(r.changes().outcomes.subList(job.offset, job.offset + requests.size())));
    }

    CompletableFuture<PgBatch.Result> sweep(UUID after) {
        Job job = new Job(List.of(), after);
        queued.incrementAndGet();
        enqueue(job);
        return job.done;
    }

    private void enqueue(Job job) {
        queue.add(job);
        schedule();
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                failQueued(new IllegalStateException("ledger is closed"));
            }
        }
    }

    private void drain() {
        try {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                // Until the queue is empty: a region keeps its thread while it is busy (batches form meanwhile).
                List<Job> jobs;
                while (!(jobs = take()).isEmpty()) {
                    if (!commit(c, jobs)) {
                        break;
                    }
                }
            } catch (SQLException e) {
                fail(take(), new LedgerUnavailableException("cannot reach the database for region " + regionId, e));
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "writer of region " + regionId + " failed", e);
        } finally {
            scheduled.set(false);
            schedule();
        }
    }

    /** Whole submissions up to the batch limit (a larger one alone); a sweep always alone. */
    private List<Job> take() {
        List<Job> jobs = new ArrayList<>();
        int transfers = 0;
        Job next;
        while ((next = queue.peek()) != null) {
            boolean sweep = next.sweepAfter != null;
            boolean fits = jobs.isEmpty() || (!sweep && jobs.get(0).sweepAfter == null
                    && transfers + next.requests.size() <= maxBatch);
            if (!fits) {
                break;
            }
            queue.poll();
            next.offset = transfers;
            transfers += next.requests.size();
            jobs.add(next);
            queued.addAndGet(-Math.max(1, next.requests.size()));
            if (sweep) {
                break;
            }
        }
        return jobs;
    }

    /**
     * Commits one batch and completes its futures; false if the connection should not be used again. A batch of new
     * transfers is first tried from memory ({@link PgBatch.Mode#FROM_MEMORY}: one statement, no locks taken before
     * it); if memory was wrong or that write failed, the batch runs again under the head lock. If a batch of several
     * submissions fails under the lock for anything but a lost connection, each submission is tried alone, so one bad
     * submission cannot fail the others that happened to share its batch.
     */
    private boolean commit(Connection c, List<Job> jobs) {
        List<List<TransferRequest>> submissions = new ArrayList<>();
        jobs.forEach(j -> submissions.add(j.requests));
        UUID sweepAfter = jobs.get(0).sweepAfter;
        if (sweepAfter == null && fromMemory(c, jobs, submissions)) {
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                PgBatch.Head head = PgBatch.lockHead(c, regionId);
                if (!state.matches(head)) {
                    state.invalidate();
                }
                Instant now = Times.later(Times.micros(clock.instant()), head.lastTimestamp());
                PgBatch batch = new PgBatch(c, regionId, assets, state.valid() ? state : null, PgBatch.Mode.LOCKED);
                PgBatch.Result result = batch.execute(head, now, submissions, sweepAfter);
                c.commit();
                state.committed(batch.written(), batch.accountsRead(), batch.lotsRead(), batch.holdsDueAt());
                jobs.forEach(j -> j.done.complete(result));
                return true;
            } catch (SQLException | PgBatch.SqlFailure e) {
                SQLException sql = e instanceof SQLException ? (SQLException) e : ((PgBatch.SqlFailure) e).getCause();
                rollback(c);
                state.invalidate();
                if (retryable(sql) && attempt < RETRIES) {
                    continue;
                }
                boolean usable = valid(c);
                if (usable && jobs.size() > 1) {
                    return alone(c, jobs);
                }
                fail(jobs, new LedgerUnavailableException("batch of region " + regionId + " failed: " + sql.getMessage(), sql));
                return usable;
            } catch (RuntimeException e) {
                rollback(c);
                state.invalidate();
                if (jobs.size() > 1 && !(e instanceof IllegalArgumentException)) {
                    return alone(c, jobs);
                }
                fail(jobs, e);
                return true;
            }
        }
    }

    /**
     * Decides the batch from memory and writes it in one auto-committed statement, if memory is valid and the batch
     * is only new transfers and no hold is due to time out; true if the batch committed and its futures are complete.
     */
    private boolean fromMemory(Connection c, List<Job> jobs, List<List<TransferRequest>> submissions) {
        if (!state.valid() || !PgBatch.fromMemoryCanDecide(submissions)) {
            return false;
        }
        Instant now = Times.later(Times.micros(clock.instant()), state.head().lastTimestamp());
        if (!now.isBefore(state.holdsDueAt())) {
            return false;
        }
        PgBatch batch = new PgBatch(c, regionId, assets, state, PgBatch.Mode.FROM_MEMORY);
        PgBatch.Result result;
        try {
            c.setAutoCommit(true);
            try {
                result = batch.execute(state.head(), now, submissions, null);
            } finally {
                c.setAutoCommit(false);
            }
        } catch (SQLException | RuntimeException e) {
            // Another process wrote the region, an id was taken, or the write failed. The batch changed objects that
            // memory holds, so forget them all; the caller decides the batch again under the head lock.
            state.invalidate();
            LOG.log(Level.FINE, e, () -> "batch of region " + regionId + " not written from memory; again under the lock");
            return false;
        }
        state.committed(batch.written(), batch.accountsRead(), batch.lotsRead(), batch.holdsDueAt());
        jobs.forEach(j -> j.done.complete(result));
        return true;
    }

    private boolean alone(Connection c, List<Job> jobs) {
        for (Job j : jobs) {
            j.offset = 0;
            if (!commit(c, List.of(j))) {
                return false;
            }
        }
        return true;
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Fails everything still queued (the ledger stopped before it could be written). */
    void failQueued(Throwable e) {
        List<Job> left;
        while (!(left = take()).isEmpty()) {
            fail(left, e);
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the caller stops using it.
        }
    }

    private static void fail(List<Job> jobs, Throwable e) {
        jobs.forEach(j -> j.done.completeExceptionally(e));
    }
}
