-- =====================================================================================================
-- Supabase's pgmq_public wrappers ("Expose Queues via PostgREST"), written by Supaqueue for local
-- development and tests: same function names, parameter names and behaviour as the ones Supabase
-- Studio creates, so that a producer limited to pgmq_public can be tested without a Supabase project.
--
-- On a Supabase project turn the "Expose Queues via PostgREST" setting on instead; it also grants the
-- API roles (anon, authenticated, service_role), which this file does not.
--
-- Works over the real pgmq extension and over Supaqueue's pgmq-compatible schema: every call names
-- the pgmq function in full and casts its arguments, so overload resolution is the same on every
-- pgmq version. SECURITY INVOKER: the caller's own privileges (and any RLS) apply. Re-running the
-- file is harmless; with psql use --single-transaction -v ON_ERROR_STOP=1.
-- =====================================================================================================

CREATE SCHEMA IF NOT EXISTS pgmq_public;

-- sleep_seconds is the delay before the message becomes visible.
CREATE OR REPLACE FUNCTION pgmq_public.send(queue_name text, message jsonb, sleep_seconds integer DEFAULT 0)
RETURNS SETOF bigint
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY SELECT * FROM pgmq.send(queue_name::text, message::jsonb, sleep_seconds::integer);
END;
$$;

CREATE OR REPLACE FUNCTION pgmq_public.send_batch(queue_name text, messages jsonb[], sleep_seconds integer DEFAULT 0)
RETURNS SETOF bigint
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY SELECT * FROM pgmq.send_batch(queue_name::text, messages::jsonb[], sleep_seconds::integer);
END;
$$;

-- As in Supabase, sleep_seconds here is the visibility timeout, and all three arguments are required.
CREATE OR REPLACE FUNCTION pgmq_public.read(queue_name text, sleep_seconds integer, n integer)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY SELECT * FROM pgmq.read(queue_name::text, sleep_seconds::integer, n::integer);
END;
$$;

CREATE OR REPLACE FUNCTION pgmq_public.pop(queue_name text)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN QUERY SELECT * FROM pgmq.pop(queue_name::text);
END;
$$;

CREATE OR REPLACE FUNCTION pgmq_public.archive(queue_name text, message_id bigint)
RETURNS boolean
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN pgmq.archive(queue_name::text, message_id::bigint);
END;
$$;

CREATE OR REPLACE FUNCTION pgmq_public.delete(queue_name text, message_id bigint)
RETURNS boolean
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
    RETURN pgmq.delete(queue_name::text, message_id::bigint);
END;
$$;
