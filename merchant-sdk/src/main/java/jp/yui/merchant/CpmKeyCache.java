package jp.yui.merchant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The region's public CPM keys ({@code GET /regions/{r}/cpm-keys}), which customer tokens are checked against
 * offline. Fetched on first use and kept for {@link #MAX_AGE}; fetched again at once when a token names a key id the
 * cache does not hold (the region has started signing with a new key), so that a rotation costs one request, not a
 * refused customer. Concurrent callers share one fetch. Thread-safe.
 *
 * <p>A key's {@code notAfter} is not used: the server is the authority on retired keys, and the offline check must
 * never refuse a token the server would accept. It only spares the server tokens that cannot be genuine.
 */
final class CpmKeyCache {

    /** How long fetched keys are used before they are fetched again, so that a key the region withdrew drops out. */
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final Transport transport;
    private final String path;
    private final Clock clock;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}; null before the first fetch. */
    private Map<Integer, byte[]> keys;
    /** Guarded by {@link #lock}. */
    private Instant fetchedAt;
    /** Guarded by {@link #lock}; the fetch under way, or null. */
    private CompletableFuture<Map<Integer, byte[]>> fetching;

    CpmKeyCache(Transport transport, long regionId, Clock clock) {
        this.transport = transport;
        this.path = "/regions/" + regionId + "/cpm-keys";
        this.clock = clock;
    }

    /**
     * @param keyId the key a token names
     * @return the region's keys by id, fresh enough and fetched again if they lacked {@code keyId}; they may still lack
     *     it, if the region has no such key. Completes exceptionally as {@link Transport#get} does, or with
     *     {@link MerchantException} if the answer holds a key that is not a 32-byte Ed25519 public key
     */
    CompletableFuture<Map<Integer, byte[]>> keysFor(int keyId) {
        synchronized (lock) {
            boolean fresh = keys != null && Duration.between(fetchedAt, clock.instant()).compareTo(MAX_AGE) < 0;
            if (fresh && keys.containsKey(keyId)) {
                return CompletableFuture.completedFuture(keys);
            }
            CompletableFuture<Map<Integer, byte[]>> fetch = fetching;
            if (fetch == null) {
                fetch = transport.get(path, "CpmKeys").thenApply(this::read);
                fetching = fetch;
                // May run at once, on this thread, if the fetch already failed: hence the local variable.
                fetch.whenComplete((fetched, failure) -> {
                    synchronized (lock) {
                        if (fetched != null) {
                            keys = fetched;
                            fetchedAt = clock.instant();
                        }
                        fetching = null;
                    }
                });
            }
            return fetch;
        }
    }

    private Map<Integer, byte[]> read(Json json) {
        Map<Integer, byte[]> read = new HashMap<>();
        json.list("keys", key -> {
            int keyId = key.int32("keyId");
            byte[] publicKey = key.base64("publicKey");
            try {
                CustomerToken.publicKeyParameters(publicKey);
            } catch (IllegalArgumentException e) {
                throw key.invalid("publicKey", e.getMessage());
            }
            read.put(keyId, publicKey);
            return keyId;
        });
        return Collections.unmodifiableMap(read);
    }
}
