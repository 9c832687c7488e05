package jp.yui.server.seal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.reactivestreams.Publisher;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/**
 * Seals of a region's journal, the public key auditors check them with, and the journal export they check. Finance
 * and admin only: residents, merchants, cashiers and programme officers get 403.
 */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SealController {

    /** The media type of the export: one JSON object per line. */
    static final String NDJSON = "application/x-ndjson";
    /** A PEM public key. */
    static final String PEM = "application/x-pem-file";

    private final Seals seals;
    private final JournalExports exports;

    public SealController(Seals seals, JournalExports exports) {
        this.seals = seals;
        this.exports = exports;
    }

    /** Seals the journal's head now (201), time-stamped if a time-stamp authority is configured. */
    @Post("/seals")
    public HttpResponse<SealApi.Seal> seal(long regionId, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.ADMIN, Access.FINANCE);
        return HttpResponse.created(seals.seal(regionId, caller.subject()));
    }

    /** The region's seals, oldest first. */
    @Get("/seals")
    public SealApi.SealPage list(long regionId, @QueryValue(defaultValue = "0") long afterSeq,
            @QueryValue(defaultValue = "100") int limit, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        Problems.requireBetween("afterSeq", afterSeq, 0, Long.MAX_VALUE);
        Problems.requireBetween("limit", limit, 1, 1_000);
        return seals.list(regionId, afterSeq, limit);
    }

    /**
     * The region's public seal key as PEM (SubjectPublicKeyInfo), to hand to an auditor; with {@code keyId}, the key
     * that signed earlier seals.
     */
    @Get(value = "/seals/public-key", produces = PEM)
    public HttpResponse<String> publicKey(long regionId, @Nullable @QueryValue String keyId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        String pem = seals.publicKeyPem(regionId, keyId);
        return HttpResponse.ok(pem).contentType(PEM)
                .header("Content-Disposition", "attachment; filename=\"yui-seal-key-" + regionId + ".pem\"");
    }

    /**
     * The journal from {@code fromSeq} (default 1) to {@code toSeq} (default: the head now), in whole batches, with
     * the seals covering it, streamed as JSON lines (docs/journal-export.md).
     */
    @Get(value = "/journal/export", produces = NDJSON)
    public HttpResponse<Publisher<byte[]>> export(long regionId, @QueryValue(defaultValue = "1") long fromSeq,
            @Nullable @QueryValue Long toSeq, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        JournalExports.Export export = exports.open(regionId, fromSeq, toSeq);
        return HttpResponse.ok(export.body()).contentType(MediaType.of(NDJSON))
                .header("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"");
    }
}
