package io.archiver.ctl.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Values that must never be printed (the database password): every message that leaves the CLI goes through {@link #mask}. */
public final class Secrets {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    public static void register(String secret) {
        if (secret != null && !secret.isEmpty()) {
            SECRETS.add(secret);
        }
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : SECRETS) {
            masked = masked.replace(secret, "****");
        }
        // a password written into a JDBC URL or a JAAS line is masked whoever registered it
        return masked.replaceAll("(?i)(password=)[^&;\\s\"']+", "$1****").replaceAll("(?i)(password=\")[^\"]*\"", "$1****\"");
    }
}
