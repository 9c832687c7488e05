package jp.yui.server;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.Arrays;
import jp.yui.server.seal.VerifyExportCommand;

/**
 * Starts the Yui ledger server. With no {@code DATASOURCES_DEFAULT_URL} it runs on an embedded PostgreSQL whose
 * data is kept in {@code ./yui-data}; see the README's "Run the server".
 */
@OpenAPIDefinition(
        info = @Info(
                title = "Yui ledger server",
                version = "0.1.0",
                description = "Regional points and local currency: regions, programmes, wallets, payments,"
                        + " settlement, reports. Errors are RFC 9457 application/problem+json documents whose type"
                        + " is a stable URI under https://yui.jp/problems/. POSTs that move value take an"
                        + " Idempotency-Key header. A server already answering as many requests as it takes on"
                        + " answers 503 server-busy with Retry-After at once and does nothing for the request, so"
                        + " the same request with the same Idempotency-Key may be sent again after the delay.",
                license = @License(name = "Proprietary")),
        security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "apiKey")})
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A token from the town's OIDC provider (or, in demo mode, from POST /demo/token)")
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-Api-Key", description = "A merchant's or integration's key: <keyId>.<secret>")
public final class Application {

    private Application() {
    }

    /**
     * Starts the server; or, with {@code verify-export} first, checks a journal export offline and exits without
     * starting anything ({@link VerifyExportCommand}).
     */
    public static void main(String[] args) {
        if (args.length > 0 && VerifyExportCommand.NAME.equals(args[0])) {
            System.exit(VerifyExportCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Micronaut.run(Application.class, args);
    }
}
