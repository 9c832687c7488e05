package jp.yui.server.infra;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;

/**
 * Serves the OpenAPI document micronaut-openapi generated at build time ({@code META-INF/swagger/openapi.yml}) at
 * {@code /openapi.yml}, and sends {@code /swagger-ui} to the Swagger UI generated beside it (served as static
 * resources under {@code /swagger-ui/}). Both are public.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
final class OpenApiController {

    static final String DOCUMENT = "classpath:META-INF/swagger/openapi.yml";

    private final byte[] document;

    OpenApiController(ResourceResolver resources) {
        Optional<InputStream> in = resources.getResourceAsStream(DOCUMENT);
        if (in.isEmpty()) {
            this.document = null;
            return;
        }
        try (InputStream stream = in.get()) {
            this.document = stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + DOCUMENT, e);
        }
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> document() {
        if (document == null) {
            throw new ProblemException(404, ProblemTypes.NOT_FOUND, "Not found",
                    "this build has no OpenAPI document (" + DOCUMENT + ")");
        }
        return HttpResponse.ok(document);
    }

    @Get("/swagger-ui")
    HttpResponse<?> swaggerUi() {
        return HttpResponse.redirect(URI.create("/swagger-ui/index.html"));
    }
}
