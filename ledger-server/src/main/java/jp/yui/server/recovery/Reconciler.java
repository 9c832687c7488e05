package jp.yui.server.recovery;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;
import jp.yui.server.award.AwardImports;
import jp.yui.server.award.Awards;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.payment.Payments;
import jp.yui.server.payment.Refunds;
import jp.yui.server.wallet.Conversions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what a failure cut off. An award, conversion, payment or refund reserves what it uses (a PENDING row) before the ledger
 * moves them; if the ledger was unreachable, or the process died in between, and the client never retried, the
 * reservation would count against the resident's caps (or hold a payment request, or a refund's share) for ever. This job settles such rows by posting the same
 * idempotent ledger transfer again (DONE if the ledger has or takes it, released if the ledger refuses it), and
 * restarts bulk imports that no process is running.
 */
@Singleton
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Awards awards;
    private final Conversions conversions;
    private final AwardImports imports;
    private final Payments payments;
    private final Refunds refunds;
    private final Duration age;

    public Reconciler(Awards awards, Conversions conversions, AwardImports imports, Payments payments, Refunds refunds,
            @Value("${yui.reconcile.after:2m}") Duration age) {
        this.awards = awards;
        this.conversions = conversions;
        this.imports = imports;
        this.payments = payments;
        this.refunds = refunds;
        this.age = age;
    }

    @Scheduled(fixedDelay = "${yui.reconcile.interval:1m}", initialDelay = "${yui.reconcile.initial-delay:1m}")
    public void reconcile() {
        for (Object[] r : awards.stalePending(age, 500)) {
            long region = (Long) r[0];
            UUID id = (UUID) r[1];
            settle("award", id, () -> awards.row(region, id).ifPresent(row -> awards.settle(region, row)));
        }
        for (Object[] r : conversions.stalePending(age, 500)) {
            long region = (Long) r[0];
            UUID id = (UUID) r[1];
            settle("conversion", id, () -> conversions.row(region, id).ifPresent(row -> conversions.settle(region, row)));
        }
        for (Object[] r : payments.stalePending(age, 500)) {
            settle("payment", (UUID) r[1], () -> payments.settlePending((Long) r[0], (UUID) r[1]));
        }
        for (Object[] r : refunds.stalePending(age, 500)) {
            settle("refund", (UUID) r[2], () -> refunds.settlePending((Long) r[0], (UUID) r[1], (UUID) r[2]));
        }
        imports.resumeIdle();
    }

    private static void settle(String what, UUID id, Runnable action) {
        try {
            action.run();
            LOG.info("settled the pending {} {}", what, id);
        } catch (ProblemException e) {
            LOG.info("released the pending {} {}: {}", what, id, e.detail());
        } catch (RuntimeException e) {
            LOG.warn("could not settle the pending {} {} yet; trying again later", what, id, e);
        }
    }
}
