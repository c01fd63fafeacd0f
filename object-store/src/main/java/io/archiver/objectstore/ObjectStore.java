package io.archiver.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads archive objects back from the bucket: whether one exists and how large it is, and its
 * bytes streamed through a SHA-256 (optionally through a parser as well), so that what is verified
 * is what S3 really returns, never what was sent.
 */
@ApplicationScoped
public class ObjectStore {

    /** Consumes an object's (decompressed or raw) stream; whatever it leaves unread is still hashed. */
    public interface StreamConsumer {
        void accept(InputStream in) throws IOException;
    }

    private final S3Client s3;
    private final ObjectStoreConfig config;

    public ObjectStore(S3Client s3, ObjectStoreConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    public String bucket() {
        return config.bucket();
    }

    public S3Client client() {
        return s3;
    }

    /** The object's size, or empty when there is no such key. */
    public Optional<Long> size(String key) {
        return unlessMissing(() -> s3.headObject(b -> b.bucket(config.bucket()).key(key)).contentLength());
    }

    /**
     * The object's size and the SHA-256 the server validated on its put and returns with checksum mode enabled (null where
     * it returns none, or only a composite checksum of parts), or empty when there is no such key. No byte of the object is read.
     */
    public Optional<ObjectHead> head(String key) {
        return unlessMissing(() -> {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(key).checksumMode(ChecksumMode.ENABLED));
            return new ObjectHead(key, head.contentLength(), fullObjectSha256Hex(head.checksumSHA256()));
        });
    }

    /** The manifest beside the object under {@code objectKey}: missing, unreadable, or found. */
    public ObjectManifest manifestOf(String objectKey) {
        return ObjectManifest.of(this, objectKey);
    }

    /** A small object's bytes (a manifest), or empty when there is no such key. */
    public Optional<byte[]> readSmall(String key) {
        return unlessMissing(() -> s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray());
    }

    /** What {@code request} returns, or empty where the key does not exist (404, however the SDK reports it). */
    private static <T> Optional<T> unlessMissing(java.util.function.Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The hex of a Base64 SHA-256 the server returned, or null for none or a composite one ({@code <base64>-<parts>}). */
    static String fullObjectSha256Hex(String base64) {
        if (base64 == null || base64.isBlank() || base64.contains("-")) {
            return null;
        }
        byte[] digest = java.util.Base64.getDecoder().decode(base64);
        return digest.length == 32 ? HexFormat.of().formatHex(digest) : null;
    }

    /**
     * Reads the whole object, hashing every byte; {@code consumer} (nullable) sees the same bytes first. What fails on the wire
     * while the body streams is an {@link SdkClientException} caused by the {@link IOException} (as when the SDK itself cannot
     * execute a request: a transient failure); an {@link IOException} of the consumer's own (it cannot parse the bytes) is an
     * {@link UncheckedIOException}; bytes that do not match the checksum S3 announced are an {@link ObjectReadMismatch}.
     */
    public StoredObject read(String key, StreamConsumer consumer) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String where = "s3://" + config.bucket() + "/" + key;
        try (ResponseInputStream<GetObjectResponse> response = s3.getObject(b -> b.bucket(config.bucket()).key(key)
                .checksumMode(ChecksumMode.ENABLED));
                CountingInputStream counted = new CountingInputStream(new DigestInputStream(new WireStream(response, where), sha256))) {
            if (consumer != null) {
                consumer.accept(new NonClosing(counted));
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream());
            String serverChecksum = response.response().checksumSHA256();
            if (serverChecksum != null && serverChecksum.contains("-")) {
                serverChecksum = null; // a composite (multipart) checksum is not the object's SHA-256
            }
            return new StoredObject(key, counted.count, HexFormat.of().formatHex(sha256.digest()), serverChecksum);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        } catch (SdkClientException e) {
            if (e.getCause() instanceof IOException) {
                throw e; // failed on the wire
            }
            // the SDK checks the bytes against the checksum S3 returned with them and throws a plain SdkClientException,
            // whose message alone says so (the SDK has no type for it)
            if (e.getMessage() != null && e.getMessage().contains("different checksum")) {
                throw new ObjectReadMismatch(where + " read back does not match its S3 checksum: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The object's body as it arrives: an I/O failure of the connection becomes an unchecked {@link SdkClientException}. */
    private static final class WireStream extends FilterInputStream {
        private final String where;

        WireStream(InputStream in, String where) {
            super(in);
            this.where = where;
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] buffer, int off, int len) {
            try {
                return super.read(buffer, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private SdkClientException failed(IOException e) {
            return SdkClientException.create("reading " + where + " failed: " + e, e);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the object's stream is drained and closed by read()
        }
    }
}
