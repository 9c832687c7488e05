-- Sign-ins to the web pages through the town's OIDC provider that left for the provider and have not come back
-- yet (jp.yui.server.web.OidcLogins). A row is made when the browser is sent to the provider and deleted when the
-- provider sends it back (used or refused), so each is used at most once; rows nobody came back for are swept once
-- they expire.
--
-- The one table without region_id: who signs in, and so their town, is known only from the ID token that comes back.
create table web_oidc_login (
    -- SHA-256 of the state sent to the provider; the state itself is only in the browser's cookie and the URLs.
    state_hash    bytea       primary key check (length(state_hash) = 32),
    nonce         text        not null check (length(nonce) between 32 and 128),
    -- The PKCE code verifier (RFC 7636): 43 to 128 characters.
    code_verifier text        not null check (length(code_verifier) between 43 and 128),
    -- The redirect_uri sent with the authorization request, which the token request must repeat exactly.
    redirect_uri  text        not null,
    -- A path of the pages to land on afterwards (already checked), or null for the person's home page.
    next_path     text        check (next_path like '/app%'),
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    check (expires_at > created_at)
);

create index web_oidc_login_expiry on web_oidc_login (expires_at);
