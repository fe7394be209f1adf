package dev.supaqueue.console.connection;

/** The fields of a {@link ConnectionProfile} that can be wrong, so that a form can show each problem beside its field. */
public enum ProfileField {
    NAME, HOST, PORT, DATABASE, USER, NAMESPACE
}
