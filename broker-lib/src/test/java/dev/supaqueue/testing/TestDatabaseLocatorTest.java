package dev.supaqueue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestDatabaseLocatorTest {

    @Test
    void anUnusableExplicitUrlFailsWithTheReasonAndWithoutThePassword() {
        TestDatabaseLocator locator = new TestDatabaseLocator(Map.of(TestDatabaseLocator.URL_VARIABLE,
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=hunter2&connectTimeout=2"));

        assertThatThrownBy(locator::locate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TestDatabaseLocator.URL_VARIABLE)
                .hasMessageContaining("127.0.0.1:1/nowhere")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void noDatabaseMessageSaysWhatWasTriedAndHowToProvideOne() {
        String message = TestDatabaseLocator.noDatabaseMessage(List.of("first try", "second try"));

        assertThat(message)
                .contains("first try", "second try")
                .contains(TestDatabaseLocator.URL_VARIABLE + "=jdbc:postgresql://")
                .contains("Docker")
                .contains("127.0.0.1:5432");
    }

    @Test
    void passwordsAreMaskedInUrls() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:postgresql://h:5432/db?user=a&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=a&password=***&ssl=true");
        assertThat(JdbcUrls.withoutSecrets("postgresql://postgres.ref:s3cret@pooler.example:6543/postgres"))
                .isEqualTo("postgresql://postgres.ref:***@pooler.example:6543/postgres");
        assertThat(JdbcUrls.withoutSecrets("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void testQueueNamesAreValidPgmqNamesWithRoomForSuffixes() {
        TestQueues queues = new TestQueues(null);
        String name = queues.newName("A Very-Long hint that goes on and on and on");

        assertThat(name).matches("[a-z0-9_]+").hasSizeLessThanOrEqualTo(TestQueues.MAX_NAME_LENGTH);
        assertThat(queues.newName("jobs")).isNotEqualTo(queues.newName("jobs"));
    }
}
