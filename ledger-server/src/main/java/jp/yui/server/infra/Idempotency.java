package jp.yui.server.infra;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import io.micronaut.http.context.ServerRequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import jp.yui.server.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} for POSTs, per region and caller (table {@code idempotency_key}):
 *
 * <ul>
 *   <li>the first request with a key runs its action; a response below 400 is stored (status and JSON body);</li>
 *   <li>the same key with the same request (same JSON) answers the stored status and body again, without running
 *       the action, with the header {@value #REPLAYED}{@code : true};</li>
 *   <li>the same key with a different request: 422 {@value ProblemTypes#IDEMPOTENCY_KEY_REUSED};</li>
 *   <li>no key, or not 1 to 128 visible ASCII characters: 400 {@value ProblemTypes#IDEMPOTENCY_KEY_REQUIRED};</li>
 *   <li>while the first request still runs, the same key waits for it (up to 10 seconds, then 409
 *       {@value ProblemTypes#IDEMPOTENCY_KEY_IN_PROGRESS}), so concurrent uses of one key run the action once;</li>
 *   <li>an action that throws, or answers 400 or more, stores nothing: the client may retry with the same key
 *       (as with the ledger, a failed request may succeed later).</li>
 * </ul>
 *
 * <p>The first request claims the key with {@code insert ... on conflict do nothing}, committed at once, and runs
 * the action holding no connection, so waiting duplicates cannot starve the pool. A claim left by a process that
 * died is taken over after 10 minutes. Value itself is protected twice: the ledger's transfer ids are idempotent too.
 */
@Singleton
public final class Idempotency {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";
    /** The response header set on a replayed response. */
    public static final String REPLAYED = "Idempotent-Replayed";

    static final int MAX_KEY_LENGTH = 128;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration ABANDONED = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;

    Idempotency(DataSource dataSource, JsonMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code action} once per {@code (regionId, caller, key)}, or replays its stored response.
     *
     * @param regionId       the region the request acts in
     * @param caller         who calls (e.g. {@link Caller#subject()}); keys of different callers never meet
     * @param key            the request's {@value #HEADER} header; may be null (then 400)
     * @param requestForHash the request body (any serialisable value; null for none): what "same request" means
     * @param action         does the work; runs at most once per key unless it fails
     * @return the action's response, or the stored one
     * @throws ProblemException 400 if the key is missing or malformed, 422 if it was used with another request,
     *     409 if the request using it has run for more than 10 seconds
     */
    public <T> HttpResponse<?> run(long regionId, String caller, String key, Object requestForHash,
            Supplier<HttpResponse<T>> action) {
        requireValidKey(key);
        byte[] hash = hash(requestForHash);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Instant now = clock.instant();
            if (claim(regionId, caller, key, hash, now)) {
                return execute(regionId, caller, key, action);
            }
            Optional<Row> row = find(regionId, caller, key);
            if (row.isEmpty()) {
                continue; // the first request failed and let go of the key: claim it again
            }
            Row r = row.get();
            if (!Arrays.equals(r.requestHash, hash)) {
                throw new ProblemException(422, ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency key reused",
                        "the Idempotency-Key " + key + " was used before with a different request");
            }
            if (r.status != null) {
                return replay(r);
            }
            if (r.createdAt.isBefore(now.minus(ABANDONED)) && takeOver(regionId, caller, key, r.createdAt, now)) {
                LOG.warn("Idempotency key {} of {} in region {} was abandoned since {}; running it again", key,
                        caller, regionId, r.createdAt);
                return execute(regionId, caller, key, action);
            }
            if (System.nanoTime() > deadline) {
                throw new ProblemException(409, ProblemTypes.IDEMPOTENCY_KEY_IN_PROGRESS, "Request in progress",
                        "another request with the Idempotency-Key " + key + " is still running; retry later");
            }
            pause();
        }
    }

    /**
     * @throws ProblemException 400 {@value ProblemTypes#IDEMPOTENCY_KEY_REQUIRED} unless {@code key} is 1 to 128
     *     visible ASCII characters ({@code !} to {@code ~})
     */
    public static void requireValidKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new ProblemException(400, ProblemTypes.IDEMPOTENCY_KEY_REQUIRED, "Idempotency key required",
                    "this request needs an " + HEADER + " header (1 to " + MAX_KEY_LENGTH
                            + " visible ASCII characters, e.g. a UUID)");
        }
        boolean visibleAscii = key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e);
        if (key.length() > MAX_KEY_LENGTH || !visibleAscii) {
            throw new ProblemException(400, ProblemTypes.IDEMPOTENCY_KEY_REQUIRED, "Idempotency key required",
                    "the " + HEADER + " header must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
    }

    private <T> HttpResponse<?> execute(long regionId, String caller, String key, Supplier<HttpResponse<T>> action) {
        HttpResponse<T> response;
        try {
            response = action.get();
        } catch (RuntimeException | Error e) {
            release(regionId, caller, key);
            throw e;
        }
        if (response.code() >= 400) {
            release(regionId, caller, key);
            return response;
        }
        Object value = response.getBody().orElse(null);
        String body = value == null ? null : toJson(value);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update idempotency_key set status = ?, response_body = ?"
                     + " where region_id = ? and caller = ? and key = ?")) {
            ps.setInt(1, response.code());
            ps.setString(2, body);
            ps.setLong(3, regionId);
            ps.setString(4, caller);
            ps.setString(5, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            // The work is done; the client gets its answer. A retry after the claim is abandoned runs it again.
            LOG.warn("Could not store the response for Idempotency-Key {} of {} in region {}", key, caller,
                    regionId, e);
        }
        if (body != null && !(value instanceof CharSequence) && !(value instanceof byte[])
                && response instanceof MutableHttpResponse<?> mutable) {
            // The JSON just stored is the answer: the body is serialised once, and a replay sends the same bytes.
            return mutable.body(body.getBytes(StandardCharsets.UTF_8)).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return response;
    }

    private boolean claim(long regionId, String caller, String key, byte[] hash, Instant now) {
        try (Connection c = dataSource.getConnection();
             // A claim only keeps concurrent requests with the key waiting while this process runs the action, so
             // its commit need not wait for its flush: the action's own writes or the stored response flush it.
             PreparedStatement ps = c.prepareStatement("insert into idempotency_key"
                     + " (region_id, caller, key, request_hash, created_at) select ?, ?, ?, ?, ?"
                     + " where " + Db.WITHOUT_WAITING_FOR_FLUSH
                     + " on conflict (region_id, caller, key) do nothing")) {
            ps.setLong(1, regionId);
            ps.setString(2, caller);
            ps.setString(3, key);
            ps.setBytes(4, hash);
            ps.setTimestamp(5, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim Idempotency-Key " + key, e);
        }
    }

    private boolean takeOver(long regionId, String caller, String key, Instant claimedAt, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update idempotency_key set created_at = ?"
                     + " where region_id = ? and caller = ? and key = ? and status is null and created_at = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setLong(2, regionId);
            ps.setString(3, caller);
            ps.setString(4, key);
            ps.setTimestamp(5, Timestamp.from(claimedAt));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not take over Idempotency-Key " + key, e);
        }
    }

    private void release(long regionId, String caller, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from idempotency_key"
                     + " where region_id = ? and caller = ? and key = ? and status is null")) {
            ps.setLong(1, regionId);
            ps.setString(2, caller);
            ps.setString(3, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not release Idempotency-Key {} of {} in region {}; it frees itself after {}", key, caller,
                    regionId, ABANDONED, e);
        }
    }

    private Optional<Row> find(long regionId, String caller, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select request_hash, status, response_body, created_at"
                     + " from idempotency_key where region_id = ? and caller = ? and key = ?")) {
            ps.setLong(1, regionId);
            ps.setString(2, caller);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int code = rs.getInt("status");
                Integer status = rs.wasNull() ? null : code;
                return Optional.of(new Row(rs.getBytes("request_hash"), status, rs.getString("response_body"),
                        rs.getTimestamp("created_at").toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read Idempotency-Key " + key, e);
        }
    }

    private static HttpResponse<?> replay(Row row) {
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.valueOf(row.status)).header(REPLAYED, "true");
        if (row.responseBody == null) {
            return response;
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(row.responseBody.getBytes(StandardCharsets.UTF_8));
    }

    private String toJson(Object body) {
        if (body instanceof CharSequence s) {
            return s.toString();
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the response body " + body.getClass().getName(), e);
        }
    }

    private byte[] hash(Object request) {
        byte[] bytes;
        if (request == null) {
            bytes = new byte[0];
        } else if (request instanceof byte[] b) {
            bytes = b;
        } else if (request instanceof CharSequence s) {
            bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                bytes = json.writeValueAsBytes(request);
            } catch (IOException e) {
                throw new UncheckedIOException("could not serialise the request " + request.getClass().getName(), e);
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // The route is part of the request: one key on another path (another resident, another programme) is
            // another request, refused as a reuse, never answered with the first one's response.
            String route = ServerRequestContext.currentRequest()
                    .map(r -> r.getMethodName() + " " + r.getPath() + "\n").orElse("");
            sha.update(route.getBytes(StandardCharsets.UTF_8));
            return sha.digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an idempotent request", e);
        }
    }

    private record Row(byte[] requestHash, Integer status, String responseBody, Instant createdAt) {
    }
}
