package dev.supaqueue.examples.supabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.pgmq.PgmqFlavour;
import org.junit.jupiter.api.Test;

class SupabaseExampleTest {

    @Test
    void pgmqIsInstalledOnlyIntoALocalDatabaseThatHasNone() {
        assertThat(SupabaseExample.installsPgmq("localhost", PgmqFlavour.ABSENT)).isTrue();
        assertThat(SupabaseExample.installsPgmq("127.0.0.1", PgmqFlavour.ABSENT)).isTrue();
        assertThat(SupabaseExample.installsPgmq("LOCALHOST", PgmqFlavour.ABSENT)).isTrue();

        assertThat(SupabaseExample.installsPgmq("db.abcdefgh.supabase.co", PgmqFlavour.ABSENT)).isFalse();
        assertThat(SupabaseExample.installsPgmq("10.0.0.5", PgmqFlavour.ABSENT)).isFalse();
        assertThat(SupabaseExample.installsPgmq("localhost", PgmqFlavour.EXTENSION)).isFalse();
        assertThat(SupabaseExample.installsPgmq("127.0.0.1", PgmqFlavour.SUPAQUEUE_COMPAT)).isFalse();
    }
}
