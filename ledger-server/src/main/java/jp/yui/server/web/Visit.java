package jp.yui.server.web;

import io.micronaut.http.HttpRequest;
import java.util.Locale;
import java.util.Objects;
import jp.yui.server.infra.Caller;

/**
 * One signed-in request to a page: who, in which town, in which language. Built by {@link Pages#visit}, which has
 * already checked that the session is live and of the page's kind; ownership of what the page shows is checked by
 * the page with {@link #caller()}, exactly as the API checks it.
 *
 * @param request  the request
 * @param session  its session
 * @param user     who signed in
 * @param regionId the caller's town
 * @param locale   the page's language
 * @param fmt      amounts and dates in that language and the town's zone
 */
public record Visit(HttpRequest<?> request, WebSessions.Session session, SignedIn user, long regionId, Locale locale,
        Fmt fmt) {

    public Visit {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(fmt, "fmt");
    }

    public Caller caller() {
        return user.caller();
    }

    /** The caller's subject: who did it, in the services' records (awards, runs, matches). */
    public String subject() {
        return user.authentication().getName();
    }
}
