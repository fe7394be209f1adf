package dev.supaqueue.console.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import dev.supaqueue.SupaqueueVersion;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeVersionsTest {

    private static final UnaryOperator<String> RUNTIME = Map.of(
            "java.runtime.version", "25.0.1+8-LTS",
            "java.vendor", "Eclipse Adoptium",
            "javafx.runtime.version", "25.0.4+3")::get;

    @TempDir
    Path classPath;

    private ClassLoader classLoaderWith(Map<String, String> resources) throws IOException {
        for (Map.Entry<String, String> resource : resources.entrySet()) {
            Path file = classPath.resolve(resource.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, resource.getValue());
        }
        // No parent: only the resources written above are visible.
        return new URLClassLoader(new URL[] {classPath.toUri().toURL()}, null);
    }

    @Test
    void readsEveryVersion() throws IOException {
        ClassLoader classLoader = classLoaderWith(Map.of(
                RuntimeVersions.CONSOLE_VERSION_RESOURCE, "console.version=1.2.3\n"));

        RuntimeVersions versions = RuntimeVersions.detect(classLoader, RUNTIME);

        assertThat(versions).isEqualTo(new RuntimeVersions(
                "1.2.3", SupaqueueVersion.current(), "25.0.1+8-LTS", "Eclipse Adoptium", "25.0.4+3"));
    }

    @Test
    void refusesAnUnfilteredConsoleVersion() throws IOException {
        ClassLoader classLoader = classLoaderWith(Map.of(
                RuntimeVersions.CONSOLE_VERSION_RESOURCE, "console.version=${project.version}\n"));

        assertThatThrownBy(() -> RuntimeVersions.detect(classLoader, RUNTIME))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without Maven resource filtering");
    }

    @Test
    void explainsAMissingJavafxVersion() throws IOException {
        ClassLoader classLoader = classLoaderWith(Map.of(RuntimeVersions.CONSOLE_VERSION_RESOURCE, "console.version=1.2.3\n"));
        UnaryOperator<String> beforeToolkitStart = name -> name.startsWith("javafx.") ? null : RUNTIME.apply(name);

        assertThatThrownBy(() -> RuntimeVersions.detect(classLoader, beforeToolkitStart))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("javafx.runtime.version")
                .hasMessageContaining("Application.start");
    }

    @Test
    void theBuildWritesTheProjectVersionForTheConsole() {
        String expected = System.getProperty("supaqueue.expectedVersion");
        assertThat(expected).as("system property set by the POM").isNotBlank();

        RuntimeVersions versions = RuntimeVersions.detect(RuntimeVersions.class.getClassLoader(), RUNTIME);

        assertThat(versions.console()).isEqualTo(expected);
    }
}
