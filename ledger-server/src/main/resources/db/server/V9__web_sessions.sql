-- The web pages' sessions (jp.yui.server.web.WebSessions), kept here so that a restart keeps people signed in and
-- several server processes behind one address share them.
--
-- Unlike the town's tables these do not lead with region_id: a session is found by its id alone (the cookie names no
-- town), and a platform-wide admin belongs to no region.

-- A signed-in session. Only the SHA-256 of the session id (the cookie's value) is kept, so whoever reads this table
-- cannot take over a session. The CSRF token is not kept either: it is an HMAC of the id (web_session_key), which the
-- server computes again. Anonymous visitors (the sign-in page) have no row at all.
--
-- Who signed in is kept as data: which pages are theirs (kind), the name in the page header, and the Authentication
-- the API would build for them (subject, roles, attributes as JSON). A shop that signed in with a till key keeps only
-- the key's public id (till_key_id, as in api_key.key_id), never the key or its secret: every page checks again that
-- the key is not revoked.
--
-- last_seen moves at most once a minute (see WebSessions); rows past the idle timeout or the maximum age are ignored
-- when read and deleted by a sweep every minute.
create table web_session (
    id_hash      bytea       primary key check (length(id_hash) = 32),
    kind         text        not null check (kind in ('RESIDENT', 'SHOP', 'FINANCE', 'OFFICER')),
    display_name text        not null,
    subject      text        not null,
    roles        text[]      not null,
    attributes   jsonb       not null check (jsonb_typeof(attributes) = 'object'),
    till_key_id  text        check (till_key_id is null or kind = 'SHOP'),
    created_at   timestamptz not null,
    last_seen    timestamptz not null check (last_seen >= created_at)
);
-- The sweep drops idle sessions by last_seen and, past yui.web.max-sessions, the least recently used ones.
create index web_session_last_seen on web_session (last_seen);

-- The key of the CSRF tokens' HMAC: one row, made by the first server to start, shared by every process (so a form
-- from one process posts to another) and kept across restarts (so open forms survive one). A token is
-- HMAC-SHA256(secret, session id); the table holds no session id, so this key alone forges no token. Deleting the
-- row and restarting every process makes a new key, which ends every open form but no session.
create table web_session_key (
    singleton  boolean     primary key default true check (singleton),
    secret     bytea       not null check (length(secret) = 32),
    created_at timestamptz not null
);
