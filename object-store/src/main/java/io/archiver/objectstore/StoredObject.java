package io.archiver.objectstore;

/**
 * An object as read back from S3: its size and the SHA-256 of the bytes actually received (hex),
 * and the checksum the server announced, where it returned one (Base64, else null).
 */
public record StoredObject(String key, long bytes, String sha256Hex, String serverSha256Base64) {
}
