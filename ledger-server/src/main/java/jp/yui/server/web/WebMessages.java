package jp.yui.server.web;

import io.micronaut.context.MessageSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.i18n.ResourceBundleMessageSource;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The pages' words: {@code i18n/web_ja.properties} and {@code i18n/web_en.properties}, read by Thymeleaf's
 * {@code #{…}} and by {@link Pages#message}. Both languages have their own file, so a Japanese page never falls back
 * to the JVM's default locale.
 */
@Factory
class WebMessages {

    @Singleton
    @Named("web")
    MessageSource webMessages() {
        return new ResourceBundleMessageSource("i18n.web");
    }
}
