package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PgmqVersionTest {

    @Test
    void parsesThreePartVersions() {
        assertThat(PgmqVersion.parse("1.5.1")).isEqualTo(new PgmqVersion(1, 5, 1));
        assertThat(PgmqVersion.parse("1.11.0")).isEqualTo(new PgmqVersion(1, 11, 0));
        assertThat(PgmqVersion.parse(" 1.4.4 ")).isEqualTo(new PgmqVersion(1, 4, 4));
    }

    @Test
    void twoPartVersionsHavePatchZero() {
        assertThat(PgmqVersion.parse("1.4")).isEqualTo(new PgmqVersion(1, 4, 0));
        assertThat(PgmqVersion.parse("1.4")).hasToString("1.4.0");
    }

    @Test
    void toStringIsMajorMinorPatch() {
        assertThat(new PgmqVersion(1, 5, 1)).hasToString("1.5.1");
        assertThat(PgmqVersion.parse(new PgmqVersion(1, 13, 1).toString())).isEqualTo(new PgmqVersion(1, 13, 1));
    }

    @Test
    void comparesNumericallyNotAlphabetically() {
        List<PgmqVersion> versions = new ArrayList<>(List.of(
                PgmqVersion.parse("1.10.0"), PgmqVersion.parse("1.5.1"), PgmqVersion.parse("2.0"),
                PgmqVersion.parse("1.4.4"), PgmqVersion.parse("1.5.0"), PgmqVersion.parse("1.9.0")));
        versions.sort(null);
        assertThat(versions).extracting(PgmqVersion::toString)
                .containsExactly("1.4.4", "1.5.0", "1.5.1", "1.9.0", "1.10.0", "2.0.0");
        assertThat(PgmqVersion.parse("1.5")).isEqualByComparingTo(PgmqVersion.parse("1.5.0"));
    }

    @Test
    void atLeastIncludesTheVersionItself() {
        PgmqVersion supabase = PgmqVersion.parse("1.5.1");
        assertThat(supabase.atLeast(1, 5, 1)).isTrue();
        assertThat(supabase.atLeast(1, 5, 0)).isTrue();
        assertThat(supabase.atLeast(1, 4, 4)).isTrue();
        assertThat(supabase.atLeast(1, 5, 2)).isFalse();
        assertThat(supabase.atLeast(1, 10, 0)).isFalse();
        assertThat(supabase.atLeast(2, 0, 0)).isFalse();
        assertThat(PgmqVersion.parse("1.10.0").atLeast(1, 9, 99)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.", "1.5.", "v1.5.1", "1.5.1.2", "1.5.1-beta", "one.two", "1..5",
            "-1.5.1", "1.5.x", "99999999999.1.1"})
    void rejectsTextThatIsNotAVersion(String text) {
        assertThatThrownBy(() -> PgmqVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a pgmq version")
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("e.g. 1.5.1");
    }

    @ParameterizedTest
    @NullSource
    void rejectsNull(String text) {
        assertThatThrownBy(() -> PgmqVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void rejectsNegativeParts() {
        assertThatThrownBy(() -> new PgmqVersion(1, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
