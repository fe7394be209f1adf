/**
 * Inspection and control of pgmq queues, for consoles, dashboards, health checks and scripts.
 *
 * <p>{@link dev.supaqueue.admin.QueueAdmin} is the entry point. Looking never changes a message: queue counts
 * and message pages are plain {@code SELECT}s on pgmq's tables (never {@code pgmq.read}, which would bump
 * {@code read_ct} and {@code vt}). Changing is explicit: every action names its messages by an id snapshot or a
 * {@code msg_id} bound ({@link dev.supaqueue.admin.Selection}), runs one transaction per batch, reports exactly
 * what it did ({@link dev.supaqueue.admin.ActionReport}), and is refused before any SQL runs when the admin is
 * read-only.
 *
 * <p>Queue names never become SQL text: pgmq functions get them as bound, cast parameters, and where a statement
 * must name a queue's table, the server builds the identifier with {@code format('%I')} from the validated name.
 */
package dev.supaqueue.admin;
