package jp.yui.server.payment;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.yui.server.db.Db;
import jp.yui.server.webhook.Webhooks;

/**
 * Marks posted payments DONE, each with its {@code payment.succeeded} webhook in the same transaction, one
 * transaction for all the payments waiting at that moment. The ledger answers every payment of a writer batch at
 * once, so they arrive here together and share one update, one outbox insert and one commit instead of three round
 * trips each (group commit, as the ledger's own writer does).
 *
 * <p>A caller returns only once its payment's transaction committed. If a shared transaction fails, its payments are
 * tried one by one, so one cannot fail the others; a payment whose own attempt fails stays PENDING, and its caller
 * gets the failure (the {@code Reconciler} or a retry finishes it). Thread-safe.
 */
@Singleton
class Completions {

    /** Most payments one transaction marks. */
    static final int MAX_BATCH = 500;

    private final Db db;
    private final Webhooks webhooks;
    // One thread of its own: the callers waiting here hold the server's request threads.
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "payment-completions");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Completions(Db db, Webhooks webhooks) {
        this.db = db;
        this.webhooks = webhooks;
    }

    private record Job(long regionId, Payments.Row row, CompletableFuture<Boolean> done) {
    }

    /**
     * Marks a PENDING payment DONE and records its webhook, once the transaction doing so committed.
     *
     * @param row the payment as reserved (its view is what the shop's webhook carries)
     * @return true if this call marked it; false if it was not PENDING (another attempt settled it first)
     * @throws jp.yui.server.db.Db.DbException if the database failed; the payment is still PENDING
     */
    boolean markDone(long regionId, Payments.Row row) {
        Job job = new Job(regionId, row, new CompletableFuture<>());
        queue.add(job);
        schedule();
        try {
            return job.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                Job job;
                while ((job = queue.poll()) != null) {
                    job.done().completeExceptionally(new IllegalStateException("the server is stopping", e));
                }
            }
        }
    }

    private void drain() {
        try {
            List<Job> jobs;
            while (!(jobs = take()).isEmpty()) {
                commit(jobs);
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }

    private List<Job> take() {
        List<Job> jobs = new ArrayList<>();
        Job job;
        while (jobs.size() < MAX_BATCH && (job = queue.poll()) != null) {
            jobs.add(job);
        }
        return jobs;
    }

    private void commit(List<Job> jobs) {
        Set<UUID> marked;
        try {
            marked = db.tx(c -> mark(c, jobs));
        } catch (RuntimeException | Error e) {
            if (jobs.size() > 1) {
                jobs.forEach(j -> commit(List.of(j)));
            } else {
                jobs.get(0).done().completeExceptionally(e);
            }
            return;
        }
        jobs.forEach(j -> j.done().complete(marked.contains(j.row().paymentId())));
    }

    /** Marks the jobs' payments that are still PENDING, region by region, with their webhooks; answers which. */
    private Set<UUID> mark(Connection c, List<Job> jobs) throws SQLException {
        Map<Long, Map<UUID, Payments.Row>> byRegion = new LinkedHashMap<>();
        for (Job j : jobs) {
            byRegion.computeIfAbsent(j.regionId(), r -> new LinkedHashMap<>()).put(j.row().paymentId(), j.row());
        }
        Set<UUID> marked = new HashSet<>();
        for (Map.Entry<Long, Map<UUID, Payments.Row>> region : byRegion.entrySet()) {
            long regionId = region.getKey();
            Map<UUID, Payments.Row> rows = region.getValue();
            List<UUID> done = Db.list(c, "update payment set status = 'DONE' where region_id = ? "
                    + "and payment_id = any(?::uuid[]) and status = 'PENDING' returning payment_id",
                    rs -> rs.getObject(1, UUID.class), regionId, c.createArrayOf("uuid", rows.keySet().toArray()));
            List<Webhooks.Notice> notices = new ArrayList<>();
            for (UUID id : done) {
                // It was PENDING until now, so nothing was refunded: the row as reserved, DONE.
                Payments.Row row = rows.get(id).withStatus("DONE");
                notices.add(new Webhooks.Notice(row.merchantId(), Payments.merchantView(row)));
            }
            webhooks.enqueueAll(c, regionId, Webhooks.PAYMENT_SUCCEEDED, notices);
            marked.addAll(done);
        }
        return marked;
    }

    @PreDestroy
    void close() {
        thread.shutdown();
    }
}
