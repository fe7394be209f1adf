package dev.supaqueue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the Supaqueue library on the class path, as written by the build. */
public final class SupaqueueVersion {

    private static final String RESOURCE = "supaqueue-version.properties";

    private static final String CURRENT = read();

    private SupaqueueVersion() {
    }

    /** For example {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = SupaqueueVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing next to " + SupaqueueVersion.class.getName()
                        + "; build broker-lib with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build (version=" + version + ")");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
