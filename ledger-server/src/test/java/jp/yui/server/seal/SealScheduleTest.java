package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schedule is wired to its settings: with {@code yui.seals.interval} at one second, a region's journal is sealed
 * without anyone asking, and sealed again once it moves. (Which regions a run skips is shown in
 * {@link SealEndpointsTest}, without waiting on a clock.)
 */
class SealScheduleTest extends SealFixture {

    @Override
    Map<String, String> more() {
        return Map.of("yui.seals.interval", "1s", "yui.seals.initial-delay", "1s");
    }

    @Test
    void regionsAreSealedOnTheScheduleAsTheirJournalMoves() throws InterruptedException {
        long region = newRegion();
        batch(region, 2);

        List<Map<String, Object>> first = awaitSeals(region, 1);
        batch(region, 1);
        List<Map<String, Object>> second = awaitSeals(region, 2);

        assertThat(first.get(0)).containsEntry("trigger", "SCHEDULED").containsEntry("sealedBy", "scheduler")
                .containsEntry("lastSeq", 2);
        assertThat(second.get(1)).containsEntry("trigger", "SCHEDULED").containsEntry("sealSeq", 2).containsEntry("lastSeq", 3);
    }

    /** Polls the region's seals until there are {@code count}, for at most 30 seconds. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> awaitSeals(long region, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            List<Map<String, Object>> seals = (List<Map<String, Object>>) http().retrieve(get("/regions/" + region + "/seals",
                    finance(region)), Argument.mapOf(String.class, Object.class)).get("seals");
            if (seals.size() >= count || Instant.now().isAfter(deadline)) {
                assertThat(seals).as("seals of region %s after waiting", region).hasSize(count);
                return seals;
            }
            Thread.sleep(200);
        }
    }
}
