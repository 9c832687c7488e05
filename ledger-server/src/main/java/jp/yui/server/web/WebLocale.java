package jp.yui.server.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.server.util.locale.HttpLocaleResolver;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The language of the web pages: Japanese first, English second. In order: {@code ?lang=ja|en} on the request (the
 * toggle in every page's header, remembered in the {@value #COOKIE} cookie), that cookie, the browser's
 * {@code Accept-Language} (whichever of Japanese and English it ranks higher), else Japanese. Only for paths under
 * {@code /app}: the API's behaviour does not change.
 */
@Singleton
public final class WebLocale implements HttpLocaleResolver, Ordered {

    /** Remembers the visitor's choice of language. */
    public static final String COOKIE = "yui_lang";
    /** The query parameter that switches language. */
    public static final String PARAM = "lang";

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public Optional<Locale> resolve(HttpRequest<?> request) {
        if (!request.getPath().startsWith("/app")) {
            return Optional.empty();
        }
        return Optional.of(of(request));
    }

    @Override
    public Locale resolveOrDefault(HttpRequest<?> request) {
        return resolve(request).orElse(Locale.JAPANESE);
    }

    /** The page language for a request under {@code /app}: {@link Locale#JAPANESE} or {@link Locale#ENGLISH}. */
    public static Locale of(HttpRequest<?> request) {
        Optional<Locale> asked = supported(request.getParameters().get(PARAM));
        if (asked.isPresent()) {
            return asked.get();
        }
        Optional<Locale> remembered = supported(request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null));
        if (remembered.isPresent()) {
            return remembered.get();
        }
        String header = request.getHeaders().get("Accept-Language");
        if (header != null) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                    Optional<Locale> l = supported(range.getRange());
                    if (l.isPresent()) {
                        return l.get();
                    }
                }
            } catch (IllegalArgumentException e) {
                // A malformed header is no preference.
            }
        }
        return Locale.JAPANESE;
    }

    /** The language {@code ?lang=} asks for, if it is one the pages have. */
    static Optional<Locale> asked(HttpRequest<?> request) {
        return supported(request.getParameters().get(PARAM));
    }

    private static Optional<Locale> supported(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        String language = tag.trim().toLowerCase(Locale.ROOT);
        for (Locale l : List.of(Locale.JAPANESE, Locale.ENGLISH)) {
            if (language.equals(l.getLanguage()) || language.startsWith(l.getLanguage() + "-")) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
