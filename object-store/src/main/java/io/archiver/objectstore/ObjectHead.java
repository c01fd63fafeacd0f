package io.archiver.objectstore;

/**
 * What S3 answers to a HEAD of an object (checksum mode enabled): its size, and the SHA-256 of the whole object the server
 * validated on the put and stored (hex), or null where it returns none (an object put without one, a multipart object whose
 * checksum is composite, a server that keeps none).
 */
public record ObjectHead(String key, long bytes, String serverSha256Hex) {

    public boolean hasValidatedSha256() {
        return serverSha256Hex != null;
    }
}
