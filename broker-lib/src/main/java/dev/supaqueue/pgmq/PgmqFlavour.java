package dev.supaqueue.pgmq;

/** How pgmq is present in a database, as found by {@link PgmqProbe#detect}. */
public enum PgmqFlavour {

    /** The pgmq extension ({@code CREATE EXTENSION pgmq}), as on Supabase; its version is exact. */
    EXTENSION,

    /** pgmq's SQL installed without the extension (pgmq ≥ 1.5.1 supports this); the version is estimated. */
    SQL_ONLY,

    /** Supaqueue's own pgmq-compatible schema for local development and tests, see {@link PgmqInstaller}. */
    SUPAQUEUE_COMPAT,

    /** No pgmq in this database. */
    ABSENT
}
