package jp.yui.server.town;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jp.yui.testsupport.MutableClock;

/**
 * The server's clock for test classes that move time: they add {@link #PROPERTIES} to their properties (every test
 * class sees every factory on the class path, so the property keeps the others on the real clock). The clock only
 * moves forward, so classes sharing it stay consistent.
 */
@Factory
@Requires(property = "town-test.clock", value = "movable")
public class TownClock {

    public static final MutableClock CLOCK = new MutableClock(Instant.now());

    static Map<String, String> with(Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("town-test.clock", "movable");
        return p;
    }

    @Singleton
    @Replaces(Clock.class)
    Clock clock() {
        return CLOCK;
    }
}
