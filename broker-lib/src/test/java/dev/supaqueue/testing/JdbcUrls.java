package dev.supaqueue.testing;

import java.util.regex.Pattern;

/** Keeps passwords out of messages and logs. */
final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private JdbcUrls() {
    }

    static String withoutSecrets(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }
}
