package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import jp.yui.server.region.Regions;

/** Today in a town, by the server's clock (which tests move): the default end of every report. */
@Singleton
public class BusinessDay {

    private final Regions regions;
    private final Clock clock;

    public BusinessDay(Regions regions, Clock clock) {
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Today in the region's zone.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public LocalDate today(long regionId) {
        return regions.require(regionId).today(clock);
    }
}
