-- =====================================================================================================
-- Supaqueue's pgmq-compatible schema (pgmq 1.5.1 API), schema revision 2.
--
-- This is NOT pgmq. It is Supaqueue's own SQL, written for local development and tests on PostgreSQL
-- servers that do not have the pgmq extension. It reproduces the public API, table layout and
-- semantics of pgmq 1.5.1 (the version Supabase Queues runs) in the schema "pgmq", so that code
-- written against pgmq runs unchanged.
--
-- One addition beyond 1.5.1, opt-in per queue: insert notifications as newer pgmq has them
-- (enable_notify_insert / disable_notify_insert, NOTIFY on channel "pgmq.q_<queue>.INSERT", throttled
-- through pgmq.notify_insert_throttle). The marker function lists it in its features column, so that
-- clients can use it here although the API version stays 1.5.1.
--
-- Revisions: 1 = pgmq 1.5.1 API; 2 = plus insert notifications. Running this file over revision 1
-- upgrades it in place; queues and messages are kept.
--
-- Supabase projects use the real pgmq extension: enable it under Integrations > Queues, or run
-- CREATE EXTENSION pgmq. Never install this file where pgmq exists (as an extension or as SQL);
-- the guard below refuses to. Partitioned queues (pg_partman) are not provided.
--
-- Re-running the file is harmless. It runs in a single transaction through
-- dev.supaqueue.pgmq.PgmqInstaller; with psql use:
--     psql --single-transaction -v ON_ERROR_STOP=1 -f pgmq-compat.sql
-- so that a refusal by the guard stops the script instead of running the rest.
--
-- Dynamic SQL quotes table names with format('%I') after pgmq.format_table_name() has rejected
-- forbidden characters; values are passed with USING, never spliced into the text.
-- =====================================================================================================

-- Guard: serialise concurrent installers and refuse to touch a real pgmq.
DO $guard$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('supaqueue.pgmq.install', 0));

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pgmq') THEN
        RAISE EXCEPTION 'the pgmq extension is installed in this database; Supaqueue''s pgmq-compatible schema must not be installed over it'
            USING HINT = 'Nothing needs to be installed: use the extension.';
    END IF;

    IF to_regnamespace('pgmq') IS NOT NULL
       AND to_regprocedure('pgmq._supaqueue_compat()') IS NULL
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                   WHERE pronamespace = to_regnamespace('pgmq') AND proname = 'send') THEN
        RAISE EXCEPTION 'pgmq is installed in this database as plain SQL (schema pgmq has pgmq.send); Supaqueue''s pgmq-compatible schema must not replace it'
            USING HINT = 'Nothing needs to be installed: use the existing pgmq.';
    END IF;
END
$guard$;

CREATE SCHEMA IF NOT EXISTS pgmq;

-- ---------------------------------------------------------------------------------------------------
-- Marker: lets PgmqProbe tell this schema apart from the real pgmq.
-- ---------------------------------------------------------------------------------------------------
-- features: what this schema offers beyond its api_version, named as dev.supaqueue.pgmq.PgmqFeature
-- in lower case. Revision 1 had no features column, and CREATE OR REPLACE cannot change a result type.
DO $marker$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_proc
               WHERE oid = to_regprocedure('pgmq._supaqueue_compat()')
                 AND NOT 'features' = ANY (coalesce(proargnames, '{}'))) THEN
        DROP FUNCTION pgmq._supaqueue_compat();
    END IF;
END
$marker$;

CREATE OR REPLACE FUNCTION pgmq._supaqueue_compat()
RETURNS TABLE (api_version text, schema_revision integer, features text[])
LANGUAGE sql IMMUTABLE
AS $$ SELECT '1.5.1'::text, 2, ARRAY['notify_insert']::text[] $$;

COMMENT ON SCHEMA pgmq IS
    'Supaqueue''s pgmq-compatible schema (pgmq 1.5.1 API) for local development and tests; not the pgmq extension';

-- ---------------------------------------------------------------------------------------------------
-- Queue registry and composite types
-- ---------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS pgmq.meta (
    queue_name     varchar     UNIQUE NOT NULL,
    is_partitioned boolean     NOT NULL,
    is_unlogged    boolean     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Insert notification state, one row per queue with notifications enabled (revision 2). Column names as
-- in pgmq >= 1.8. Unlogged like pgmq's: it is only a clock, and the trigger notifies anyway when a crash
-- has emptied it. Dropping a queue (its pgmq.meta row) removes its row.
CREATE UNLOGGED TABLE IF NOT EXISTS pgmq.notify_insert_throttle (
    queue_name           varchar     NOT NULL
        CONSTRAINT notify_insert_throttle_queue_name_key UNIQUE
        CONSTRAINT notify_insert_throttle_meta_queue_name_fk
            REFERENCES pgmq.meta (queue_name) ON DELETE CASCADE,
    throttle_interval_ms integer     NOT NULL DEFAULT 0 CHECK (throttle_interval_ms >= 0),
    last_notified_at     timestamptz NOT NULL DEFAULT to_timestamp(0)
);

-- CREATE TYPE has no IF NOT EXISTS; existing types are left alone so that dependent functions survive.
DO $types$
BEGIN
    IF to_regtype('pgmq.message_record') IS NULL THEN
        CREATE TYPE pgmq.message_record AS (
            msg_id      bigint,
            read_ct     integer,
            enqueued_at timestamptz,
            vt          timestamptz,
            message     jsonb,
            headers     jsonb
        );
    END IF;
    IF to_regtype('pgmq.queue_record') IS NULL THEN
        CREATE TYPE pgmq.queue_record AS (
            queue_name     varchar,
            is_partitioned boolean,
            is_unlogged    boolean,
            created_at     timestamptz
        );
    END IF;
    IF to_regtype('pgmq.metrics_result') IS NULL THEN
        CREATE TYPE pgmq.metrics_result AS (
            queue_name           text,
            queue_length         bigint,
            newest_msg_age_sec   integer,
            oldest_msg_age_sec   integer,
            total_messages       bigint,
            scrape_time          timestamptz,
            queue_visible_length bigint
        );
    END IF;
END
$types$;

-- As pgmq does: monitoring roles may look at queues.
GRANT USAGE ON SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA pgmq TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON TABLES TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON SEQUENCES TO pg_monitor;

-- ---------------------------------------------------------------------------------------------------
-- Names
-- ---------------------------------------------------------------------------------------------------

-- 47 = 63 (PostgreSQL's identifier limit) - 16 (pg_partman's "template_pgmq_q_" prefix); kept so that
-- names valid here are valid with the real extension.
CREATE OR REPLACE FUNCTION pgmq.validate_queue_name(queue_name text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF length(queue_name) > 47 THEN
        RAISE EXCEPTION 'queue name is too long, maximum length is 47 characters'
            USING DETAIL = format('"%s" has %s characters.', queue_name, length(queue_name));
    END IF;
END;
$$;

-- Table names are lowercased (so "MyQueue" and "myqueue" share tables, as in pgmq) and quoted with %I
-- by the callers; the forbidden substrings are rejected outright.
CREATE OR REPLACE FUNCTION pgmq.format_table_name(queue_name text, prefix text)
RETURNS text
LANGUAGE plpgsql
AS $$
BEGIN
    IF queue_name IS NULL THEN
        RAISE EXCEPTION 'queue name must not be null';
    END IF;
    IF queue_name ~ '[$;'']|--' THEN
        RAISE EXCEPTION 'queue name contains invalid characters: $, ;, -- and '' are not allowed'
            USING DETAIL = format('Rejected queue name: %s', queue_name);
    END IF;
    RETURN lower(prefix || '_' || queue_name);
END;
$$;

-- Serialises create and drop of one queue (any spelling of its name, since the tables are shared).
CREATE OR REPLACE FUNCTION pgmq._supaqueue_lock_queue(queue_name text)
RETURNS void
LANGUAGE sql
AS $$ SELECT pg_advisory_xact_lock(hashtextextended('supaqueue.pgmq.queue.' || lower(queue_name), 0)) $$;

-- ---------------------------------------------------------------------------------------------------
-- Queue management
-- ---------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pgmq._supaqueue_create_queue(new_queue_name text, unlogged boolean)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table   text;
    archive_table text;
BEGIN
    PERFORM pgmq.validate_queue_name(new_queue_name);
    queue_table := pgmq.format_table_name(new_queue_name, 'q');
    archive_table := pgmq.format_table_name(new_queue_name, 'a');
    PERFORM pgmq._supaqueue_lock_queue(new_queue_name);

    -- Only the live table may be unlogged; the archive is history and stays crash-safe.
    EXECUTE format(
        'CREATE %s TABLE IF NOT EXISTS pgmq.%I (
             msg_id      bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
             read_ct     integer NOT NULL DEFAULT 0,
             enqueued_at timestamptz NOT NULL DEFAULT now(),
             vt          timestamptz NOT NULL,
             message     jsonb,
             headers     jsonb
         )',
        CASE WHEN unlogged THEN 'UNLOGGED' ELSE '' END, queue_table);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (vt ASC)', queue_table || '_vt_idx', queue_table);

    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS pgmq.%I (
             msg_id      bigint PRIMARY KEY,
             read_ct     integer NOT NULL DEFAULT 0,
             enqueued_at timestamptz NOT NULL DEFAULT now(),
             archived_at timestamptz NOT NULL DEFAULT now(),
             vt          timestamptz NOT NULL,
             message     jsonb,
             headers     jsonb
         )',
        archive_table);
    -- pgmq names this index after the queue name as given (not lowercased); so does this schema.
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (archived_at)',
                   'archived_at_idx_' || new_queue_name, archive_table);

    INSERT INTO pgmq.meta (queue_name, is_partitioned, is_unlogged)
    VALUES (new_queue_name, false, unlogged)
    ON CONFLICT DO NOTHING;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.create_non_partitioned(queue_name text)
RETURNS void
LANGUAGE sql
AS $$ SELECT pgmq._supaqueue_create_queue(queue_name, false) $$;

CREATE OR REPLACE FUNCTION pgmq.create(queue_name text)
RETURNS void
LANGUAGE sql
AS $$ SELECT pgmq.create_non_partitioned(queue_name) $$;

CREATE OR REPLACE FUNCTION pgmq.create_unlogged(queue_name text)
RETURNS void
LANGUAGE sql
AS $$ SELECT pgmq._supaqueue_create_queue(queue_name, true) $$;

CREATE OR REPLACE FUNCTION pgmq.create_partitioned(
    queue_name text,
    partition_interval text DEFAULT '10000',
    retention_interval text DEFAULT '100000')
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'partitioned queues need pg_partman and the real pgmq extension; Supaqueue''s pgmq-compatible schema cannot create queue "%"', queue_name
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Use pgmq.create() or pgmq.create_unlogged() here, or a database with the pgmq extension.';
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.convert_archive_partitioned(
    table_name text,
    partition_interval text DEFAULT '10000',
    retention_interval text DEFAULT '100000',
    leading_partition integer DEFAULT 10)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'partitioned archives need pg_partman and the real pgmq extension; Supaqueue''s pgmq-compatible schema cannot convert "%"', table_name
        USING ERRCODE = 'feature_not_supported';
END;
$$;

-- pgmq uses this to take a queue's archive out of the extension; here nothing belongs to an extension.
CREATE OR REPLACE FUNCTION pgmq.detach_archive(queue_name text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pgmq.format_table_name(queue_name, 'a');
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.drop_queue(queue_name text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table   text := pgmq.format_table_name(queue_name, 'q');
    archive_table text := pgmq.format_table_name(queue_name, 'a');
BEGIN
    PERFORM pgmq._supaqueue_lock_queue(queue_name);

    IF NOT EXISTS (SELECT 1 FROM pgmq.meta AS m WHERE m.queue_name = drop_queue.queue_name)
       AND to_regclass(format('pgmq.%I', queue_table)) IS NULL THEN
        RAISE NOTICE 'pgmq queue "%" does not exist', queue_name;
        RETURN false;
    END IF;

    EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', queue_table);
    EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', archive_table);
    -- Takes the queue's notify_insert_throttle row with it (ON DELETE CASCADE); its trigger went with the table.
    DELETE FROM pgmq.meta AS m WHERE m.queue_name = drop_queue.queue_name;
    RETURN true;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.drop_queue(queue_name text, partitioned boolean)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE WARNING 'drop_queue(queue_name, partitioned) is deprecated; use drop_queue(queue_name)';
    RETURN pgmq.drop_queue(queue_name);
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.list_queues()
RETURNS SETOF pgmq.queue_record
LANGUAGE sql
AS $$
    SELECT queue_name, is_partitioned, is_unlogged, created_at
    FROM pgmq.meta
    ORDER BY queue_name
$$;

-- Counts, then truncates under an exclusive lock so that the count is exactly what was removed.
-- The archive and the msg_id sequence are left alone (total_messages keeps counting).
CREATE OR REPLACE FUNCTION pgmq.purge_queue(queue_name text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    removed     bigint;
BEGIN
    EXECUTE format('LOCK TABLE pgmq.%I IN ACCESS EXCLUSIVE MODE', queue_table);
    EXECUTE format('SELECT count(*) FROM pgmq.%I', queue_table) INTO removed;
    EXECUTE format('TRUNCATE pgmq.%I', queue_table);
    RETURN removed;
END;
$$;

-- ---------------------------------------------------------------------------------------------------
-- Insert notifications (revision 2; pgmq 1.7 API, with the throttle argument of 1.8)
--
-- enable_notify_insert puts a trigger on the queue table that NOTIFYs channel
-- 'pgmq.' || <table name> || '.INSERT' (e.g. "pgmq.q_jobs.INSERT", the table name is lowercased) with no
-- payload when the inserting transaction commits. At most one notification per throttle interval per
-- queue: inserts within the interval after a notification send none, so consumers must poll as well;
-- the first insert after a quiet interval always notifies. Rows inserted in one transaction give one
-- notification (PostgreSQL folds identical notifications of a transaction).
-- ---------------------------------------------------------------------------------------------------

-- The trigger is deferred to commit, so that the throttle clock is read and claimed when the
-- notification is actually sent. Claiming skips a throttle row that another committer has locked
-- (it is notifying at that moment): no sender ever waits on another, and transactions that send to
-- several queues cannot deadlock on the rows.
CREATE OR REPLACE FUNCTION pgmq._supaqueue_notify_insert()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    -- The queue name as registered in pgmq.meta, given by enable_notify_insert.
    notified_queue text := TG_ARGV[0];
    channel        text := 'pgmq.' || TG_TABLE_NAME || '.' || TG_OP;
    interval_ms    integer;
    last_at        timestamptz;
BEGIN
    SELECT t.throttle_interval_ms, t.last_notified_at
    INTO interval_ms, last_at
    FROM pgmq.notify_insert_throttle AS t
    WHERE t.queue_name = notified_queue;

    IF NOT FOUND THEN
        -- The unlogged table lost the row in a crash: notify unthrottled rather than go silent.
        PERFORM pg_notify(channel, NULL);
        RETURN NULL;
    END IF;

    -- Not due: a notification went out less than one interval ago. The cheap path of a burst, no lock.
    -- (A clock that went back, last_at in the future, counts as due rather than silencing the queue.)
    IF interval_ms > 0
       AND clock_timestamp() >= last_at
       AND clock_timestamp() < last_at + interval_ms * interval '1 millisecond' THEN
        RETURN NULL;
    END IF;

    -- Under REPEATABLE READ or SERIALIZABLE, locking a row changed since the snapshot would fail the
    -- commit. The snapshot's last_at is never later than the real one, so "not due" above was right;
    -- "due" may be stale, and such a sender notifies without claiming.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        PERFORM pg_notify(channel, NULL);
        RETURN NULL;
    END IF;

    -- Claim: the lock re-reads the newest row and re-checks it, so two committers never both notify
    -- within one interval. A row locked by another committer is skipped: that one is notifying now
    -- (should its commit still fail, the consumers' polling finds this message).
    PERFORM 1
    FROM pgmq.notify_insert_throttle AS t
    WHERE t.queue_name = notified_queue
      AND (t.throttle_interval_ms = 0
           OR clock_timestamp() < t.last_notified_at
           OR clock_timestamp() >= t.last_notified_at + t.throttle_interval_ms * interval '1 millisecond')
    FOR NO KEY UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE pgmq.notify_insert_throttle AS t
    SET last_notified_at = clock_timestamp()
    WHERE t.queue_name = notified_queue;
    PERFORM pg_notify(channel, NULL);
    RETURN NULL;
END;
$$;

-- Enabling again sets the new throttle and lets the next insert notify. The trigger is only (re)created
-- when missing: brokers enable notifications each time they declare a queue, and CREATE/DROP TRIGGER
-- would lock the queue table against every reader and writer each time.
CREATE OR REPLACE FUNCTION pgmq.enable_notify_insert(queue_name text, throttle_interval_ms integer DEFAULT 250)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    trigger_arg bytea := convert_to(queue_name, 'UTF8') || decode('00', 'hex');
BEGIN
    IF throttle_interval_ms IS NULL OR throttle_interval_ms < 0 THEN
        RAISE EXCEPTION 'throttle_interval_ms must be 0 (no throttle) or more milliseconds, got %',
            coalesce(throttle_interval_ms::text, 'NULL');
    END IF;
    PERFORM pgmq._supaqueue_lock_queue(queue_name);
    IF NOT EXISTS (SELECT 1 FROM pgmq.meta AS m WHERE m.queue_name = enable_notify_insert.queue_name)
       OR to_regclass(format('pgmq.%I', queue_table)) IS NULL THEN
        RAISE EXCEPTION 'queue "%" does not exist; create it first with pgmq.create()', queue_name;
    END IF;

    -- Other spellings of the name share the table, and so the trigger: this one takes it over.
    DELETE FROM pgmq.notify_insert_throttle AS t
    WHERE lower(t.queue_name) = lower(enable_notify_insert.queue_name)
      AND t.queue_name <> enable_notify_insert.queue_name;
    INSERT INTO pgmq.notify_insert_throttle (queue_name, throttle_interval_ms)
    VALUES (enable_notify_insert.queue_name, enable_notify_insert.throttle_interval_ms)
    ON CONFLICT ON CONSTRAINT notify_insert_throttle_queue_name_key DO UPDATE
    SET throttle_interval_ms = excluded.throttle_interval_ms,
        last_notified_at = to_timestamp(0);

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS tg
               WHERE tg.tgrelid = to_regclass(format('pgmq.%I', queue_table))
                 AND tg.tgname = 'trigger_notify_queue_insert_listeners'
                 AND tg.tgfoid = 'pgmq._supaqueue_notify_insert()'::regprocedure
                 AND tg.tgargs = trigger_arg) THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS tg
               WHERE tg.tgrelid = to_regclass(format('pgmq.%I', queue_table))
                 AND tg.tgname = 'trigger_notify_queue_insert_listeners') THEN
        EXECUTE format('DROP TRIGGER trigger_notify_queue_insert_listeners ON pgmq.%I', queue_table);
    END IF;
    -- The queue name travels as a trigger argument (a quoted literal), not as part of any identifier.
    EXECUTE format(
        'CREATE CONSTRAINT TRIGGER trigger_notify_queue_insert_listeners
         AFTER INSERT ON pgmq.%I
         DEFERRABLE INITIALLY DEFERRED
         FOR EACH ROW EXECUTE FUNCTION pgmq._supaqueue_notify_insert(%L)',
        queue_table, queue_name);
END;
$$;

-- A queue without notifications, or without a table, is left as it is.
CREATE OR REPLACE FUNCTION pgmq.disable_notify_insert(queue_name text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
BEGIN
    -- Checked first rather than DROP TRIGGER IF EXISTS, whose notice would only be noise.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
               WHERE tgrelid = to_regclass(format('pgmq.%I', queue_table))
                 AND tgname = 'trigger_notify_queue_insert_listeners') THEN
        EXECUTE format('DROP TRIGGER trigger_notify_queue_insert_listeners ON pgmq.%I', queue_table);
    END IF;
    -- Every spelling of the name shares the table, hence the trigger.
    DELETE FROM pgmq.notify_insert_throttle AS t WHERE lower(t.queue_name) = lower(disable_notify_insert.queue_name);
END;
$$;

-- ---------------------------------------------------------------------------------------------------
-- Sending. The (queue_name, msg, headers, delay timestamptz) forms do the work; the other overloads
-- fill in defaults. An integer delay counts from clock_timestamp(); enqueued_at is now(), the start of
-- the sending transaction, as in pgmq.
-- ---------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz)
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'INSERT INTO pgmq.%I (vt, message, headers) VALUES ($1, $2, $3) RETURNING msg_id',
        pgmq.format_table_name(queue_name, 'q'))
        USING delay, msg, headers;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => delay)) $$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp()) $$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, delay timestamptz)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, delay) $$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, clock_timestamp() + make_interval(secs => delay)) $$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, clock_timestamp()) $$;

-- Rows are inserted in array order, so the ids come back in the order of msgs.
CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz)
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $$
BEGIN
    -- pgmq 1.5.1 would pad the shorter array with NULLs; a mismatch is a caller's bug, so say so.
    IF headers IS NOT NULL AND cardinality(headers) <> cardinality(msgs) THEN
        RAISE EXCEPTION 'send_batch: headers has % elements but msgs has %; they must match',
            cardinality(headers), cardinality(msgs);
    END IF;
    RETURN QUERY EXECUTE format(
        'INSERT INTO pgmq.%I (vt, message, headers)
         SELECT $1, batch.message, batch.headers
         FROM unnest($2, $3) WITH ORDINALITY AS batch(message, headers, position)
         ORDER BY batch.position
         RETURNING msg_id',
        pgmq.format_table_name(queue_name, 'q'))
        USING delay, msgs, headers;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => delay)) $$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[])
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp()) $$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], delay) $$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer)
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], clock_timestamp() + make_interval(secs => delay)) $$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[])
RETURNS SETOF bigint
LANGUAGE sql
AS $$ SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], clock_timestamp()) $$;

-- ---------------------------------------------------------------------------------------------------
-- Reading
-- ---------------------------------------------------------------------------------------------------

-- Takes up to qty visible rows, lowest msg_id first, skipping rows another reader holds, and hides them
-- for vt seconds. The output order is whatever UPDATE ... RETURNING yields, as in pgmq.
CREATE OR REPLACE FUNCTION pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb DEFAULT '{}')
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    -- A fixed piece of SQL, never user text: the filter value itself travels as $3.
    content_filter text := CASE
        WHEN conditional IS NULL OR conditional = '{}'::jsonb THEN ''
        ELSE 'AND message @> $3' END;
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH picked AS (
             SELECT msg_id
             FROM pgmq.%1$I
             WHERE vt <= clock_timestamp() %2$s
             ORDER BY msg_id
             LIMIT $1
             FOR UPDATE SKIP LOCKED
         )
         UPDATE pgmq.%1$I AS q
         SET vt = clock_timestamp() + make_interval(secs => $2),
             read_ct = q.read_ct + 1
         FROM picked
         WHERE q.msg_id = picked.msg_id
         RETURNING q.msg_id, q.read_ct, q.enqueued_at, q.vt, q.message, q.headers',
        queue_table, content_filter)
        USING qty, vt, conditional;
END;
$$;

-- Each attempt runs pgmq.read as its own statement, so messages committed meanwhile are seen. The sleep
-- is fractional (no integer division: 100 ms really sleeps 100 ms) and never overruns the deadline.
CREATE OR REPLACE FUNCTION pgmq.read_with_poll(
    queue_name text,
    vt integer,
    qty integer,
    max_poll_seconds integer DEFAULT 5,
    poll_interval_ms integer DEFAULT 100,
    conditional jsonb DEFAULT '{}')
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $$
DECLARE
    stop_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
BEGIN
    LOOP
        RETURN QUERY SELECT * FROM pgmq.read(queue_name, vt, qty, conditional);
        IF FOUND OR clock_timestamp() >= stop_at THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(greatest(0, least(
            poll_interval_ms / 1000.0,
            extract(epoch FROM stop_at - clock_timestamp()))));
    END LOOP;
END;
$$;

-- Deletes and returns the oldest visible message; read_ct is returned as stored (not incremented).
CREATE OR REPLACE FUNCTION pgmq.pop(queue_name text)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH picked AS (
             SELECT msg_id
             FROM pgmq.%1$I
             WHERE vt <= clock_timestamp()
             ORDER BY msg_id
             LIMIT 1
             FOR UPDATE SKIP LOCKED
         )
         DELETE FROM pgmq.%1$I AS q
         USING picked
         WHERE q.msg_id = picked.msg_id
         RETURNING q.msg_id, q.read_ct, q.enqueued_at, q.vt, q.message, q.headers',
        pgmq.format_table_name(queue_name, 'q'));
END;
$$;

-- ---------------------------------------------------------------------------------------------------
-- Finishing messages and changing visibility
-- ---------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pgmq.delete(queue_name text, msg_id bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    deleted_id bigint;
BEGIN
    EXECUTE format('DELETE FROM pgmq.%I WHERE msg_id = $1 RETURNING msg_id',
                   pgmq.format_table_name(queue_name, 'q'))
        INTO deleted_id
        USING msg_id;
    RETURN deleted_id IS NOT NULL;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.delete(queue_name text, msg_ids bigint[])
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE format('DELETE FROM pgmq.%I WHERE msg_id = ANY($1) RETURNING msg_id',
                                pgmq.format_table_name(queue_name, 'q'))
        USING msg_ids;
END;
$$;

-- One statement moves the row: it is deleted from q_ and inserted into a_ with archived_at = now().
CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[])
RETURNS SETOF bigint
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH moved AS (
             DELETE FROM pgmq.%I
             WHERE msg_id = ANY($1)
             RETURNING msg_id, read_ct, enqueued_at, vt, message, headers
         )
         INSERT INTO pgmq.%I (msg_id, read_ct, enqueued_at, vt, message, headers)
         SELECT msg_id, read_ct, enqueued_at, vt, message, headers FROM moved
         RETURNING msg_id',
        pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a'))
        USING msg_ids;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_id bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM pgmq.archive(queue_name, ARRAY[msg_id]));
END;
$$;

-- Changes only vt (not read_ct); no ownership check, and it also works on unread or delayed messages.
CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'UPDATE pgmq.%I
         SET vt = clock_timestamp() + make_interval(secs => $2)
         WHERE msg_id = $1
         RETURNING msg_id, read_ct, enqueued_at, vt, message, headers',
        pgmq.format_table_name(queue_name, 'q'))
        USING msg_id, vt;
END;
$$;

-- ---------------------------------------------------------------------------------------------------
-- Metrics: a full count(*) of the live table, as in pgmq. total_messages is the identity sequence's
-- last value, i.e. messages ever sent (0 before the first).
-- ---------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pgmq.metrics(queue_name text)
RETURNS pgmq.metrics_result
LANGUAGE plpgsql
AS $$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    result      pgmq.metrics_result;
BEGIN
    EXECUTE format(
        'SELECT $1,
                count(*),
                extract(epoch FROM now() - max(enqueued_at))::integer,
                extract(epoch FROM now() - min(enqueued_at))::integer,
                coalesce(pg_sequence_last_value(pg_get_serial_sequence($2, ''msg_id'')::regclass), 0),
                now(),
                count(*) FILTER (WHERE vt <= clock_timestamp())
         FROM pgmq.%I',
        queue_table)
        INTO result
        USING queue_name, format('pgmq.%I', queue_table);
    RETURN result;
END;
$$;

CREATE OR REPLACE FUNCTION pgmq.metrics_all()
RETURNS SETOF pgmq.metrics_result
LANGUAGE plpgsql
AS $$
DECLARE
    registered record;
    result     pgmq.metrics_result;
BEGIN
    FOR registered IN SELECT m.queue_name FROM pgmq.meta AS m ORDER BY m.queue_name LOOP
        result := pgmq.metrics(registered.queue_name);
        RETURN NEXT result;
    END LOOP;
END;
$$;
