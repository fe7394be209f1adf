/**
 * pgmq (Supabase Queues) over JDBC: version detection ({@link dev.supaqueue.pgmq.PgmqProbe}) and installation
 * ({@link dev.supaqueue.pgmq.PgmqInstaller}).
 *
 * <p>Where the server has no pgmq extension, the installer provides Supaqueue's own pgmq-compatible schema —
 * SQL written in this project that reproduces pgmq 1.5.1's API, table layout and semantics, plus newer pgmq's
 * opt-in insert notifications ({@code enable_notify_insert}, advertised as an extra feature of the
 * installation) — for local development and tests. Supabase projects use the real extension, and the
 * compatible schema is never installed where pgmq exists.
 */
package dev.supaqueue.pgmq;
