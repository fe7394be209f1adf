package dev.supaqueue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SupaqueueVersionTest {

    @Test
    void versionComesFromTheBuild() {
        assertThat(SupaqueueVersion.current()).matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
    }
}
