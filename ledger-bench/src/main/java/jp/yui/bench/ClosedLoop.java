package jp.yui.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs N threads that each do one thing, wait for it, and do the next, for a warm-up and then a measured window.
 * A step counts (its transfers and its latency) if it completes inside the measured window.
 */
final class ClosedLoop {

    /** One thread's work; created on its thread, closed when it stops. */
    interface Worker extends AutoCloseable {
        /** Does one submission and waits for it; returns the transfers it committed. */
        int step() throws Exception;

        @Override
        default void close() throws SQLException {
        }
    }

    interface WorkerFactory {
        Worker create(int thread) throws Exception;
    }

    private ClosedLoop() {}

    static Measured run(String name, int threads, int warmupSeconds, int seconds, WorkerFactory factory)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Latencies> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong transfers = new AtomicLong();
        AtomicLong allTransfers = new AtomicLong();
        AtomicLongArray timeline = new AtomicLongArray(seconds);
        AtomicLong submissions = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                Latencies mine = new Latencies();
                long myTransfers = 0;
                long myAll = 0;
                long mySubmissions = 0;
                try (Worker w = factory.create(index)) {
                    ready.countDown();
                    go.await();
                    long start = window[0];
                    long end = window[1];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int n;
                        try {
                            n = w.step();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            sample(samples, e);
                            continue;
                        }
                        long t1 = System.nanoTime();
                        myAll += n;
                        if (t1 >= start && t1 < end) {
                            mine.add(t1 - t0);
                            myTransfers += n;
                            timeline.addAndGet((int) Math.min(seconds - 1, (t1 - start) / 1_000_000_000L), n);
                            mySubmissions++;
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    sample(samples, e);
                    ready.countDown();
                } finally {
                    latencies.add(mine);
                    transfers.addAndGet(myTransfers);
                    allTransfers.addAndGet(myAll);
                    submissions.addAndGet(mySubmissions);
                }
            }, name + "-" + i);
            t.setDaemon(true);
            all.add(t);
            t.start();
        }
        ready.await();
        long now = System.nanoTime();
        window[0] = now + warmupSeconds * 1_000_000_000L;
        window[1] = window[0] + seconds * 1_000_000_000L;
        go.countDown(); // publishes window to the threads
        for (Thread t : all) {
            t.join();
        }
        return new Measured(transfers.get(), submissions.get(), seconds, Latencies.merge(latencies).sorted(),
                errors.get(), List.copyOf(samples), allTransfers.get(), toArray(timeline));
    }

    static long[] toArray(AtomicLongArray a) {
        long[] out = new long[a.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }

    static void sample(List<String> samples, Throwable e) {
        synchronized (samples) {
            if (samples.size() < 5) {
                samples.add(describe(e));
            }
        }
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
    }
}
