package dev.supaqueue.pgmq;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Command line: shows which pgmq a database has, and installs one for local development and tests.
 *
 * <pre>
 *   java -cp broker-lib.jar:postgresql.jar dev.supaqueue.pgmq.PgmqDevSchemaTool info    JDBC-URL
 *   java -cp broker-lib.jar:postgresql.jar dev.supaqueue.pgmq.PgmqDevSchemaTool install JDBC-URL [--with-public-wrappers]
 * </pre>
 *
 * Exit codes: 0 done, 1 the database refused or failed, 2 bad arguments.
 */
public final class PgmqDevSchemaTool {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    private static final String WITH_PUBLIC_WRAPPERS = "--with-public-wrappers";

    private static final String USAGE = """
            Usage:
              PgmqDevSchemaTool info JDBC-URL
                  Shows which pgmq the database has (extension, SQL-only install, Supaqueue's
                  pgmq-compatible schema, or none) and whether Supabase's pgmq_public wrappers exist.
              PgmqDevSchemaTool install JDBC-URL [--with-public-wrappers]
                  Makes pgmq usable: uses a pgmq that is there, else CREATE EXTENSION pgmq if the server
                  has it, else installs Supaqueue's pgmq-compatible schema (pgmq 1.5.1 API plus insert
                  notifications). With --with-public-wrappers also creates the pgmq_public wrappers.

            JDBC-URL example: jdbc:postgresql://127.0.0.1:5432/mydb?user=postgres
            A user and password missing from the URL are taken from PGUSER and PGPASSWORD (or ~/.pgpass).

            Supabase projects use the real pgmq extension (Integrations > Queues); the compatible schema is
            for local development and tests only, and is never installed where pgmq exists.
            """;

    private static final String SUPABASE_NOTE = "Note: Supabase projects use the real pgmq extension;"
            + " Supaqueue's pgmq-compatible schema is for local development and tests only.";

    /** Any URL parameter whose name ends in "password" (password, sslpassword). */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&][^=&]*password=)[^&]*");
    /** user:password@ before the host. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private PgmqDevSchemaTool() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.size() == 1 && List.of("help", "--help", "-h").contains(args.get(0))) {
            out.print(USAGE);
            return OK;
        }
        if (args.size() < 2) {
            return badArguments(err, args.isEmpty() ? "No command given." : "No JDBC URL given.");
        }
        String command = args.get(0);
        String url = args.get(1);
        List<String> options = args.subList(2, args.size());
        if (!url.startsWith("jdbc:postgresql:")) {
            return badArguments(err, "Not a PostgreSQL JDBC URL: " + maskPassword(url)
                    + " (it must start with jdbc:postgresql:).");
        }
        boolean withPublicWrappers;
        switch (command) {
            case "info" -> {
                if (!options.isEmpty()) {
                    return badArguments(err, "info takes no options, but got " + options + ".");
                }
                withPublicWrappers = false;
            }
            case "install" -> {
                if (options.size() > 1 || (options.size() == 1 && !options.get(0).equals(WITH_PUBLIC_WRAPPERS))) {
                    return badArguments(err, "install takes only " + WITH_PUBLIC_WRAPPERS + ", but got " + options + ".");
                }
                withPublicWrappers = options.size() == 1;
            }
            default -> {
                return badArguments(err, "Unknown command \"" + command + "\" (expected info or install).");
            }
        }

        out.println("Database: " + maskPassword(url));
        try (Connection connection = DriverManager.getConnection(url, credentials(url, environment))) {
            if (command.equals("info")) {
                info(connection, out);
            } else {
                install(connection, withPublicWrappers, out);
            }
            out.println(SUPABASE_NOTE);
            return OK;
        } catch (SQLException e) {
            err.println("Database error: " + e.getMessage());
            return FAILED;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    private static void info(Connection connection, PrintStream out) throws SQLException {
        PgmqInstallation found = PgmqProbe.detect(connection);
        out.println("pgmq: " + found.describe());
        out.println("pgmq_public wrappers: " + (found.publicWrappers() ? "present" : "absent"));
        if (found.flavour() == PgmqFlavour.ABSENT) {
            out.println("pgmq extension available on this server: "
                    + (PgmqProbe.extensionAvailable(connection) ? "yes" : "no"));
        }
    }

    private static void install(Connection connection, boolean withPublicWrappers, PrintStream out)
            throws SQLException {
        PgmqInstallation before = PgmqProbe.detect(connection);
        int revisionBefore = PgmqProbe.compatSchemaRevision(connection);
        PgmqInstallation after = PgmqInstaller.ensureInstalled(connection);
        if (before.flavour() == PgmqFlavour.ABSENT) {
            out.println("Installed: " + after.describe());
        } else if (after.flavour() == PgmqFlavour.SUPAQUEUE_COMPAT
                && revisionBefore < PgmqInstaller.COMPAT_SCHEMA_REVISION) {
            out.println("Upgraded the compatible schema from revision " + revisionBefore + " to "
                    + PgmqInstaller.COMPAT_SCHEMA_REVISION + ": " + after.describe());
        } else {
            out.println("Nothing to install, found: " + after.describe());
        }

        if (!withPublicWrappers) {
            out.println("pgmq_public wrappers: " + (after.publicWrappers() ? "present" : "absent (add "
                    + WITH_PUBLIC_WRAPPERS + " to create them)"));
        } else if (after.publicWrappers() && after.flavour() != PgmqFlavour.SUPAQUEUE_COMPAT) {
            // Next to a real pgmq they are most likely Supabase's own (with its grants): leave them be.
            out.println("pgmq_public wrappers: already present, left unchanged");
        } else {
            PgmqInstaller.installPublicWrappers(connection);
            out.println("pgmq_public wrappers: " + (after.publicWrappers() ? "re-applied" : "installed"));
        }
    }

    private static Properties credentials(String url, Map<String, String> environment) {
        Properties properties = new Properties();
        String lowerUrl = url.toLowerCase(java.util.Locale.ROOT);
        if (!lowerUrl.contains("user=") && environment.get("PGUSER") != null) {
            properties.setProperty("user", environment.get("PGUSER"));
        }
        if (!PASSWORD_PARAMETER.matcher(url).find() && environment.get("PGPASSWORD") != null) {
            properties.setProperty("password", environment.get("PGPASSWORD"));
        }
        return properties;
    }

    /** The URL with any password replaced by ***, for printing. */
    static String maskPassword(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }

    private static int badArguments(PrintStream err, String problem) {
        err.println(problem);
        err.println();
        err.print(USAGE);
        return BAD_ARGUMENTS;
    }
}
