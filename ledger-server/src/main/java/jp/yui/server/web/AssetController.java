package jp.yui.server.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.infra.ProblemTypes;

/**
 * The pages' style sheet and scripts, and the two browser libraries they use, served from the server's own class
 * path (the WebJars on Maven Central), so a phone downloads nothing from elsewhere and no Node toolchain builds them.
 * Only the files listed here are served: a name is never turned into a path.
 */
@Hidden
@Controller("/app/assets")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class AssetController {

    private static final String JS = "text/javascript;charset=utf-8";
    private static final Map<String, Asset> ASSETS = Map.of(
            "yui.css", new Asset("public/app/yui.css", "text/css;charset=utf-8"),
            "scan.js", new Asset("public/app/scan.js", JS),
            "countdown.js", new Asset("public/app/countdown.js", JS),
            "print.js", new Asset("public/app/print.js", JS),
            "htmx.min.js", new Asset(webjar("htmx.org", "dist/htmx.min.js"), JS),
            "html5-qrcode.min.js", new Asset(webjar("html5-qrcode", "html5-qrcode.min.js"), JS));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    record Asset(String classpath, String contentType) {
    }

    @Get("/{name}")
    HttpResponse<byte[]> asset(String name) {
        Asset asset = ASSETS.get(name);
        if (asset == null) {
            throw new ProblemException(404, ProblemTypes.NOT_FOUND, "Not found", "no asset " + name);
        }
        byte[] bytes = cache.computeIfAbsent(name, n -> read(asset.classpath()));
        // An hour: a new release's assets reach browsers within the hour, and the pages stay fast on a phone.
        return HttpResponse.ok(bytes).contentType(MediaType.of(asset.contentType()))
                .header("Cache-Control", "public, max-age=3600");
    }

    private static byte[] read(String path) {
        try (InputStream in = AssetController.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("asset missing from the class path: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read asset " + path, e);
        }
    }

    /**
     * A file of a WebJar ({@code org.webjars.npm}), at the version on the class path (the pom manages it; the jar's
     * own {@code pom.properties} says which it is), so upgrading a library is a change to the pom only.
     */
    static String webjar(String artifact, String file) {
        String properties = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = AssetController.class.getClassLoader().getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("WebJar " + artifact + " is missing from the class path");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return "META-INF/resources/webjars/" + artifact + "/" + p.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + properties, e);
        }
    }
}
