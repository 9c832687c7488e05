package jp.yui.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import jp.yui.merchant.WebhookSignature;
import jp.yui.server.db.Db;
import jp.yui.server.infra.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox ({@code webhook_event}): each due PENDING event is POSTed to its shop's current endpoint,
 * signed ({@value WebhookSignature#HEADER}, with the endpoint's current secret) and carrying
 * {@value #EVENT_ID_HEADER}. A 2xx answer makes it DELIVERED. Anything else (another status, a redirect, no
 * answer within the timeout) schedules the next attempt after {@code min(10 s · 2^(attempts − 1), 1 h)} plus up to
 * 10% jitter, so shops that come back are not hit by every server at once; an attempt that fails three days or more
 * after the event was recorded makes it FAILED.
 *
 * <p>Several server processes may run dispatchers on one database. A dispatcher claims a region's due events with
 * {@code select … for update skip locked} and, in the same short transaction, counts the attempt and pushes
 * {@code next_attempt_at} one lease ahead; it then sends with no transaction open and records each outcome only if
 * the event is still the attempt it claimed. So an event is sent once per attempt, and an event whose dispatcher
 * died is sent again when its lease runs out: delivery is at least once, and receivers dedupe by the event id.
 *
 * <p>Redirects are never followed: the URL was checked, its redirect target was not ({@link WebhookUrls}). Every
 * time comes from the injected {@link Clock}. Thread-safe; {@link #deliverDue()} may run in several threads.
 */
@Singleton
public class WebhookDispatcher {

    /** The request header carrying the event's id, the same on every attempt. */
    public static final String EVENT_ID_HEADER = "Yui-Event-Id";

    /** Attempts fail for this long (counted from the event) before the event is given up. */
    static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    static final Duration MAX_RETRY = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int ERROR_CHARS = 300;
    // Headroom beyond the HTTP timeout for reading the answer's body and for the thread pool to start the task.
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Db db;
    private final Clock clock;
    private final WebhookSettings settings;
    private final HttpClient http;
    private final ExecutorService senders;
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;

    WebhookDispatcher(Db db, Clock clock, WebhookSettings settings, @Nullable MeterRegistry meters) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        AtomicInteger threads = new AtomicInteger();
        // Blocking sends on threads of their own: a batch goes out in parallel, and a send that overruns is cancelled
        // by interrupting its thread (which aborts the HTTP exchange).
        this.senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "yui-webhook-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (meters != null) {
            Gauge.builder("yui.webhooks.pending", this, WebhookDispatcher::pendingCount)
                    .description("Webhook events not yet delivered, in every region")
                    .register(meters);
            delivered = attempts(meters, "delivered");
            retried = attempts(meters, "retry");
            failed = attempts(meters, "failed");
        } else {
            delivered = null;
            retried = null;
            failed = null;
        }
    }

    /**
     * Sends every event that is due now, up to one batch per region, and records the outcomes.
     *
     * @return how many deliveries were attempted (each event at most once per call)
     * @throws jp.yui.server.db.Db.DbException if the database cannot be read to find due events; a region whose
     *     claim or recording fails is logged and left for the next call
     */
    public int deliverDue() {
        Instant now = clock.instant();
        // A read over the partial due index; the locking claim below is per region (Citus routes it to one
        // shard), so no statement that locks rows spans regions.
        List<Long> regions = db.read(c -> Db.list(c, "select distinct region_id from webhook_event "
                + "where status = 'PENDING' and next_attempt_at <= ?", rs -> rs.getLong(1), now));
        int attempted = 0;
        for (long regionId : regions) {
            try {
                attempted += deliverDue(regionId);
            } catch (RuntimeException e) {
                LOG.warn("webhook delivery in region {} failed; the next run tries again", regionId, e);
            }
        }
        return attempted;
    }

    /** Stops the sending threads; a send cut off here is retried when its lease runs out. */
    @PreDestroy
    void close() {
        senders.shutdownNow();
    }

    /** A claimed attempt: the event and where to send it (url and secret null if the shop has no endpoint). */
    private record Claim(UUID eventId, String payload, int attempt, Instant createdAt, String url, String secret) {
    }

    /** How an attempt ended: the answer's status (null if none) and, unless it was a 2xx, why it failed. */
    private record Outcome(Integer status, String error) {
        boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private int deliverDue(long regionId) {
        List<Claim> claims = claim(regionId);
        if (claims.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + settings.timeout().plus(GRACE).toNanos();
        List<Future<Outcome>> sends = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            sends.add(senders.submit(() -> send(claim)));
        }
        List<Outcome> outcomes = new ArrayList<>(claims.size());
        for (Future<Outcome> send : sends) {
            outcomes.add(await(send, deadline));
        }
        db.tx(c -> {
            for (int i = 0; i < claims.size(); i++) {
                record(c, regionId, claims.get(i), outcomes.get(i));
            }
            return null;
        });
        return claims.size();
    }

    /**
     * Claims up to a batch of the region's due events: counts the attempt and hides them for a lease. Events whose
     * shop has no endpoint any more are made FAILED instead.
     */
    private List<Claim> claim(long regionId) {
        Instant now = clock.instant();
        return db.tx(c -> {
            List<Claim> due = Db.list(c, "select ev.event_id, ev.payload, ev.attempts, ev.created_at, ep.url, ep.secret "
                    + "from webhook_event ev left join webhook_endpoint ep "
                    + "on ep.region_id = ev.region_id and ep.merchant_id = ev.merchant_id "
                    + "where ev.region_id = ? and ev.status = 'PENDING' and ev.next_attempt_at <= ? "
                    + "order by ev.next_attempt_at limit ? for update of ev skip locked",
                    rs -> new Claim(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3) + 1,
                            WebhookEndpoints.instant(rs, 4), rs.getString(5), rs.getString(6)),
                    regionId, now, settings.batchSize());
            List<Claim> claimed = new ArrayList<>(due.size());
            for (Claim claim : due) {
                if (claim.url() == null) {
                    // Removing an endpoint fails its pending events; this catches one enqueued by a transaction that
                    // saw the endpoint just before the removal committed.
                    Db.update(c, "update webhook_event set status = 'FAILED', next_attempt_at = null, last_error = ? "
                            + "where region_id = ? and event_id = ?", WebhookEndpoints.REMOVED, regionId, claim.eventId());
                } else {
                    Db.update(c, "update webhook_event set attempts = ?, last_attempt_at = ?, next_attempt_at = ? "
                            + "where region_id = ? and event_id = ?",
                            claim.attempt(), now, now.plus(settings.lease()), regionId, claim.eventId());
                    claimed.add(claim);
                }
            }
            return claimed;
        });
    }

    /** One HTTP attempt; never throws. Runs on a sender thread, which is interrupted if it overruns. */
    private Outcome send(Claim claim) {
        URI uri;
        try {
            // Checked again: the rule (or yui.webhooks.allow-insecure-loopback) may have changed since it was set.
            uri = WebhookUrls.check(claim.url(), settings.allowInsecureLoopback());
        } catch (ProblemException e) {
            return new Outcome(null, "the endpoint URL is no longer allowed: " + e.detail());
        }
        String refusal = WebhookUrls.refusal(uri, settings.allowInsecureLoopback());
        if (refusal != null) {
            return new Outcome(null, refusal);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Yui-Webhooks/1")
                .header(EVENT_ID_HEADER, claim.eventId().toString())
                .header(WebhookSignature.HEADER,
                        WebhookSignature.sign(claim.secret(), clock.instant().getEpochSecond(), claim.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(claim.payload(), StandardCharsets.UTF_8))
                .build();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            HttpResponse<Void> response = http.send(request, keepingStart(head));
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(status, null);
            }
            if (status >= 300 && status < 400) {
                return new Outcome(status, "redirects are not followed; the endpoint answered " + status + " to "
                        + response.headers().firstValue("Location").orElse("(no Location)"));
            }
            String body = head.toString(StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}+", " ").strip();
            return new Outcome(status, "the endpoint answered " + status + (body.isEmpty() ? "" : ": " + body));
        } catch (HttpConnectTimeoutException e) {
            return new Outcome(null, "could not connect within " + settings.timeout().toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return new Outcome(null, "no answer within " + settings.timeout().toSeconds() + " s");
        } catch (ConnectException e) {
            return new Outcome(null, "could not connect to " + uri.getHost() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()));
        } catch (SSLException e) {
            return new Outcome(null, "TLS failed: " + e.getMessage());
        } catch (IOException e) {
            return new Outcome(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "the delivery was cut off after " + settings.timeout().toSeconds() + " s");
        }
    }

    /** Keeps the first bytes of an answer's body (for the shop's deliveries list) and drops the rest as it comes. */
    private static HttpResponse.BodyHandler<Void> keepingStart(ByteArrayOutputStream head) {
        return HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(
                b -> head.write(b, 0, Math.max(0, Math.min(b.length, ERROR_CHARS - head.size())))));
    }

    private Outcome await(Future<Outcome> send, long deadline) {
        try {
            return send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            send.cancel(true);
            return new Outcome(null, "no complete answer within " + settings.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            // send() catches what HTTP throws; this is a bug, logged, and the event is retried like any failure.
            LOG.error("webhook send failed unexpectedly", e.getCause());
            return new Outcome(null, "internal error while sending");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send.cancel(true);
            return new Outcome(null, "the delivery was interrupted");
        }
    }

    /** Records an outcome, unless the event moved on meanwhile (its endpoint removed, or its lease run out). */
    private void record(Connection c, long regionId, Claim claim, Outcome outcome) throws SQLException {
        Instant now = clock.instant();
        int updated;
        if (outcome.success()) {
            updated = Db.update(c, "update webhook_event set status = 'DELIVERED', delivered_at = ?, next_attempt_at = null, "
                    + "last_status = ?, last_error = null where region_id = ? and event_id = ? and status = 'PENDING' "
                    + "and attempts = ?", now, outcome.status(), regionId, claim.eventId(), claim.attempt());
            count(updated == 1 ? delivered : null);
        } else if (!now.isBefore(claim.createdAt().plus(GIVE_UP_AFTER))) {
            updated = Db.update(c, "update webhook_event set status = 'FAILED', next_attempt_at = null, last_status = ?, "
                    + "last_error = ? where region_id = ? and event_id = ? and status = 'PENDING' and attempts = ?",
                    outcome.status(), outcome.error(), regionId, claim.eventId(), claim.attempt());
            count(updated == 1 ? failed : null);
            if (updated == 1) {
                LOG.info("gave up the webhook event {} of region {} after {} attempts: {}", claim.eventId(), regionId,
                        claim.attempt(), outcome.error());
            }
        } else {
            updated = Db.update(c, "update webhook_event set next_attempt_at = ?, last_status = ?, last_error = ? "
                    + "where region_id = ? and event_id = ? and status = 'PENDING' and attempts = ?",
                    now.plus(backoff(claim.attempt())), outcome.status(), outcome.error(), regionId, claim.eventId(),
                    claim.attempt());
            count(updated == 1 ? retried : null);
        }
        if (updated == 0) {
            LOG.debug("the webhook event {} of region {} moved on during attempt {}; its outcome is dropped",
                    claim.eventId(), regionId, claim.attempt());
        }
    }

    /**
     * How long to wait after the given failed attempt: {@code min(10 s · 2^(attempt − 1), 1 h)} plus 0–10% jitter.
     *
     * @param attempt the attempt that failed, ≥ 1
     */
    static Duration backoff(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
        // 10 s · 2^9 is past an hour already; capping the exponent keeps the shift from overflowing.
        Duration base = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 9));
        if (base.compareTo(MAX_RETRY) > 0) {
            base = MAX_RETRY;
        }
        long jitterMillis = ThreadLocalRandom.current().nextLong(base.toMillis() / 10 + 1);
        return base.plusMillis(jitterMillis);
    }

    private double pendingCount() {
        return db.read(c -> Db.sum(c, "select count(*) from webhook_event where status = 'PENDING'"));
    }

    private static Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("yui.webhooks.attempts")
                .description("Webhook delivery attempts, by what became of the event")
                .tag("outcome", outcome)
                .register(meters);
    }

    private static void count(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }
}
