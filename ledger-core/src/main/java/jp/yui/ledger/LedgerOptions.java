package jp.yui.ledger;

import java.time.Clock;
import java.util.Objects;

/**
 * Settings of a ledger.
 *
 * @param clock         the ledger's time: transfer timestamps, hold timeouts, lot expiry
 * @param maxBatch      most transfers one writer batch commits (a larger submission goes alone)
 * @param queueCapacity most transfers waiting per region before submissions are refused with
 *                      {@link LedgerOverloadedException}
 * @param writerThreads threads that run region writers (a region is written by one thread at a time)
 */
public record LedgerOptions(Clock clock, int maxBatch, int queueCapacity, int writerThreads) {

    public LedgerOptions {
        Objects.requireNonNull(clock, "clock");
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new IllegalArgumentException("maxBatch must be between 1 and 100000: " + maxBatch);
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("queueCapacity must be >= maxBatch (" + maxBatch + "): " + queueCapacity);
        }
        if (writerThreads < 1 || writerThreads > 256) {
            throw new IllegalArgumentException("writerThreads must be between 1 and 256: " + writerThreads);
        }
    }

    /** System UTC clock, batches of up to 2,000, 100,000 queued per region, 4 writer threads. */
    public static LedgerOptions defaults() {
        return new LedgerOptions(Clock.systemUTC(), 2_000, 100_000, 4);
    }

    public LedgerOptions withClock(Clock clock) {
        return new LedgerOptions(clock, maxBatch, queueCapacity, writerThreads);
    }

    /** These options with another batch limit; the queue capacity is raised to it if smaller. */
    public LedgerOptions withMaxBatch(int maxBatch) {
        return new LedgerOptions(clock, maxBatch, Math.max(queueCapacity, maxBatch), writerThreads);
    }

    public LedgerOptions withQueueCapacity(int queueCapacity) {
        return new LedgerOptions(clock, maxBatch, queueCapacity, writerThreads);
    }

    public LedgerOptions withWriterThreads(int writerThreads) {
        return new LedgerOptions(clock, maxBatch, queueCapacity, writerThreads);
    }
}
