package dev.supaqueue.console.connection;

import java.util.Locale;

/** pgjdbc's {@code sslmode} values, with what each one means for the user. */
public enum SslMode {
    DISABLE("disable", "no TLS"),
    ALLOW("allow", "TLS only if the server insists"),
    PREFER("prefer", "TLS when the server offers it (not verified)"),
    REQUIRE("require", "always TLS, server certificate not verified"),
    VERIFY_CA("verify-ca", "always TLS, certificate signed by a trusted CA"),
    VERIFY_FULL("verify-full", "always TLS, certificate and host name verified");

    private final String value;
    private final String meaning;

    SslMode(String value, String meaning) {
        this.value = value;
        this.meaning = meaning;
    }

    /** The driver option value, e.g. {@code verify-full}. */
    public String value() {
        return value;
    }

    /** What the mode does, in plain words. */
    public String meaning() {
        return meaning;
    }

    /** Whether a connection in this mode fails rather than fall back to plain text. */
    public boolean requiresTls() {
        return this == REQUIRE || this == VERIFY_CA || this == VERIFY_FULL;
    }

    /**
     * The mode with this driver value (case-insensitive).
     *
     * @throws IllegalArgumentException listing the accepted values
     */
    public static SslMode fromValue(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (SslMode mode : values()) {
            if (mode.value.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Unknown sslmode '" + text
                + "': use disable, allow, prefer, require, verify-ca or verify-full");
    }

    @Override
    public String toString() {
        return value;
    }
}
