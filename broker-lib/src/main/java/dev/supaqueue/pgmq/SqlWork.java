package dev.supaqueue.pgmq;

import java.sql.SQLException;

/**
 * Work done with a resource bound to one connection, e.g. a {@link PgmqSession} inside
 * {@link PgmqClient#inTransaction}. May throw {@link SQLException} for the caller's own JDBC work.
 *
 * @param <S> what the work is given
 * @param <T> what it returns
 */
@FunctionalInterface
public interface SqlWork<S, T> {

    T apply(S session) throws SQLException;
}
