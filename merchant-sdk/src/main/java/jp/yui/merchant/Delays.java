package jp.yui.merchant;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Where the client waits between attempts. Tests substitute one that records the waits and does not sleep. */
interface Delays {

    /** Real waiting, on the common pool's timer: nothing is blocked while the client waits. */
    Delays REAL = delay -> CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);

    /** @return an executor that runs its tasks after {@code delay} */
    Executor after(Duration delay);
}
