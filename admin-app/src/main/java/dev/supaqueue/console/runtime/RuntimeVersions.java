package dev.supaqueue.console.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import dev.supaqueue.SupaqueueVersion;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The versions of the software this console runs on, as found at run time.
 *
 * @param console    this console's version, from the build
 * @param brokerLib  the version of broker-lib on the class path
 * @param java       the Java runtime version, for example {@code 25.0.1+8-LTS}
 * @param javaVendor the Java runtime's vendor
 * @param javafx     the JavaFX runtime version
 */
public record RuntimeVersions(String console, String brokerLib, String java, String javaVendor, String javafx) {

    /** Written by Maven resource filtering; see admin-app/pom.xml. */
    static final String CONSOLE_VERSION_RESOURCE = "dev/supaqueue/console/version.properties";

    public RuntimeVersions {
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(brokerLib, "brokerLib");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(javaVendor, "javaVendor");
        Objects.requireNonNull(javafx, "javafx");
    }

    /** Reads the versions of this process. Call it after the JavaFX toolkit has started. */
    public static RuntimeVersions detect() {
        return detect(RuntimeVersions.class.getClassLoader(), System::getProperty);
    }

    static RuntimeVersions detect(ClassLoader classLoader, UnaryOperator<String> systemProperty) {
        return new RuntimeVersions(
                consoleVersion(classLoader),
                SupaqueueVersion.current(),
                requiredProperty(systemProperty, "java.runtime.version", "every Java runtime sets it"),
                requiredProperty(systemProperty, "java.vendor", "every Java runtime sets it"),
                requiredProperty(systemProperty, "javafx.runtime.version",
                        "JavaFX sets it when the toolkit starts, so read versions from Application.start"));
    }

    private static String consoleVersion(ClassLoader classLoader) {
        String version = readProperties(classLoader, CONSOLE_VERSION_RESOURCE)
                .map(properties -> properties.getProperty("console.version"))
                .orElseThrow(() -> new IllegalStateException(
                        CONSOLE_VERSION_RESOURCE + " with console.version is missing from the class path; build admin-app with Maven"));
        if (version.contains("${")) {
            throw new IllegalStateException(CONSOLE_VERSION_RESOURCE
                    + " was copied without Maven resource filtering (console.version=" + version + "); build admin-app with Maven");
        }
        return version;
    }

    private static Optional<Properties> readProperties(ClassLoader classLoader, String resource) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static String requiredProperty(UnaryOperator<String> systemProperty, String name, String why) {
        String value = systemProperty.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set; " + why);
        }
        return value;
    }
}
