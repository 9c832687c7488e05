package jp.yui.server.settlement;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each region's settlement on its cycle: every hour it settles the periods that have closed and have no run yet
 * (running one again changes nothing, so several server processes may all try), and finishes runs a crash left
 * half-posted.
 */
@Singleton
public class SettlementScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementScheduler.class);

    private final Settlements settlements;
    private final SettlementSettings settings;
    private final Regions regions;
    private final Clock clock;

    public SettlementScheduler(Settlements settlements, SettlementSettings settings, Regions regions, Clock clock) {
        this.settlements = settlements;
        this.settings = settings;
        this.regions = regions;
        this.clock = clock;
    }

    /** The periods of a cycle that ended most recently before {@code today}: the last two, so none is skipped. */
    static List<LocalDate[]> closedPeriods(SettlementApi.Cycle cycle, LocalDate today) {
        List<LocalDate[]> periods = new ArrayList<>();
        if (cycle == SettlementApi.Cycle.HALF_MONTHLY) {
            LocalDate month = today.withDayOfMonth(1);
            LocalDate previous = month.minusMonths(1);
            periods.add(new LocalDate[] {previous.withDayOfMonth(16), previous.withDayOfMonth(previous.lengthOfMonth())});
            if (today.getDayOfMonth() > 15) {
                periods.add(new LocalDate[] {month, month.withDayOfMonth(15)});
            } else {
                periods.add(0, new LocalDate[] {previous, previous.withDayOfMonth(15)});
            }
        } else if (cycle == SettlementApi.Cycle.MONTHLY) {
            LocalDate previous = today.withDayOfMonth(1).minusMonths(1);
            periods.add(new LocalDate[] {previous, previous.withDayOfMonth(previous.lengthOfMonth())});
        }
        return periods;
    }

    @Scheduled(fixedDelay = "${yui.settlement.interval:1h}", initialDelay = "${yui.settlement.initial-delay:10m}")
    public void runDue() {
        for (Object[] r : settlements.stalePending(Duration.ofMinutes(5))) {
            try {
                settlements.finishPending((Long) r[0], (UUID) r[1]);
            } catch (RuntimeException e) {
                LOG.warn("could not finish settlement {} of region {}", r[1], r[0], e);
            }
        }
        for (long regionId : regions.ids()) {
            settings.find(regionId).ifPresent(s -> {
                LocalDate today = regions.require(regionId).today(clock);
                for (LocalDate[] period : closedPeriods(s.cycle(), today)) {
                    try {
                        settlements.run(regionId, new SettlementApi.CreateRun(period[0], period[1], null), "scheduler");
                    } catch (ProblemException e) {
                        LOG.warn("settlement of region {} for {}..{} refused: {}", regionId, period[0], period[1], e.detail());
                    }
                }
            });
        }
    }
}
