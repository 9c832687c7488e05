package jp.yui.server.web;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import jp.yui.testsupport.MutableClock;

/**
 * The server's business clock for the web journey, which moves a day on to settle the day it paid: a clock of its
 * own, so the days it adds never reach the town tests' shared {@code TownClock} (some of their checks compare the
 * server's clock with the database's {@code now()}). Only for test classes that set {@value #PROPERTY}.
 */
@Factory
@Requires(property = WebClock.PROPERTY, value = "movable")
public class WebClock {

    static final String PROPERTY = "web-test.clock";
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @Singleton
    @Replaces(Clock.class)
    Clock clock() {
        return CLOCK;
    }
}
