package io.archiver.support.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A policy's settings that decide which rows leave and where they go (table, id and date columns, date
 * kind, minimum age, mode, archive table, and the source unless it is the control database), as a SHA-256: a new or changed policy has a fingerprint no run
 * has been let through with, so its first run shows its plan first ({@code confirm-first-run}). Batch
 * size and the rails' own limits are left out: changing them changes how, not what, a run archives.
 */
public final class PolicyFingerprint {

    private PolicyFingerprint() {
    }

    public static String of(ArchivePolicies.Policy policy) {
        String settings = "table=" + policy.table() + "\nid-column=" + String.join(",", policy.key()) + "\ndate-column=" + policy.dateColumn()
                + "\ndate-kind=" + policy.dateKind() + "\nmin-age=" + policy.minAge() + "\nmode=" + policy.mode() + "\narchive-table="
                + policy.archiveTable() + "\n"
                // only a policy of another source says so: the fingerprints of the policies before sources stay as they were
                + (io.archiver.policy.SourceSpec.CONTROL.equals(policy.source()) ? "" : "source=" + policy.source() + "\n");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(settings.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
