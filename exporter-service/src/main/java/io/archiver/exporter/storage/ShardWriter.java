package io.archiver.exporter.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import io.archiver.events.ShardCompression;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardCsvWriter;
import io.archiver.rows.ShardFormat;

/**
 * Writes one CSV shard ({@link ShardFormat}, by {@link ShardCsvWriter}: the bytes Apache Commons CSV
 * prints, each value encoded once) row by row into a temporary file, computing the rows digest and
 * the file's SHA-256 on the way; {@link #commit} renames it atomically into place, then its manifest.
 * Nothing is held in memory but the buffers.
 *
 * <p>Nothing is fsynced: the file is scratch, read back once by this process for its put and removed once announced.
 * Its durability protects nothing: the object is held to the SHA-256 computed here while writing (by the server on a
 * single put, by the uploader's read-back of a multipart object), so bytes changed between the write and the put are
 * refused, never archived; and after a crash or a power loss the batch is exported again from the table (nothing reads
 * a shard staged before a restart). Three fsyncs a batch (shard, manifest,
 * directory) cost about 2 ms of CPU and 15 ms of waiting per 10,000-row batch (docs/performance.md).
 */
public final class ShardWriter implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final MessageDigest fileSha256;
    private final CountingOutputStream counter;
    private final OutputStream out;
    private final RowsDigest rowsDigest = new RowsDigest();
    private final ShardCsvWriter csv;
    private final CanonicalEncoding listEncoding = new CanonicalEncoding();
    private boolean headerWritten;
    private boolean committed;

    public ShardWriter(Path target, ShardCompression compression) throws IOException {
        this(target, compression, Deflater.DEFAULT_COMPRESSION);
    }

    /** @param gzipLevel the deflate level of a GZIP shard (1 fastest .. 9 smallest, or -1 for the JDK's default) */
    public ShardWriter(Path target, ShardCompression compression, int gzipLevel) throws IOException {
        if (gzipLevel != Deflater.DEFAULT_COMPRESSION && (gzipLevel < Deflater.BEST_SPEED || gzipLevel > Deflater.BEST_COMPRESSION)) {
            throw new IllegalArgumentException("gzip level must be 1..9 (or -1 for the default), not " + gzipLevel);
        }
        this.target = target;
        this.temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            this.fileSha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.counter = new CountingOutputStream(new DigestOutputStream(
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileSha256));
        OutputStream buffered = new BufferedOutputStream(counter, 64 * 1024);
        // records reach the deflater 64 KB at a time, not one small write (and one native call) per row
        this.out = compression == ShardCompression.GZIP ? new BufferedOutputStream(new LeveledGzipStream(buffered, gzipLevel), 64 * 1024)
                : buffered;
        this.csv = new ShardCsvWriter(out, rowsDigest);
    }

    /** Writes the header once, before the first row (an empty shard still has one). */
    public void header(List<String> columns) throws IOException {
        if (!headerWritten) {
            csv.header(columns);
            headerWritten = true;
        }
    }

    /** Writes one row given as its canonical values. */
    public void row(List<String> canonicalValues) {
        row(listEncoding.row(canonicalValues));
    }

    /** Writes one row given as its canonical encoding (the export's path: each value encoded once, straight from the table). */
    public void row(CanonicalEncoding row) {
        try {
            csv.row(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temp, e);
        }
    }

    /** Flushes and renames the shard into place; returns what was written. */
    public StagedShard commit(java.util.function.Supplier<List<String>> headerIfEmpty) throws IOException {
        return commit(headerIfEmpty, null);
    }

    /**
     * As {@link #commit(java.util.function.Supplier)}, and stages {@code objectManifest}'s JSON of the shard beside it
     * ({@code <shard>.manifest.json}, renamed into place before the shard's own manifest: a complete shard has it).
     */
    public StagedShard commit(java.util.function.Supplier<List<String>> headerIfEmpty,
            java.util.function.Function<StagedShard, byte[]> objectManifest) throws IOException {
        if (!headerWritten) {
            header(headerIfEmpty.get());
        }
        out.close();
        StagedShard shard = new StagedShard(target, rowsDigest.rows(), rowsDigest.hex(), counter.count,
                HexFormat.of().formatHex(fileSha256.digest()));
        Path manifestTemp = temp.resolveSibling(temp.getFileName() + ".manifest");
        shard.writeManifest(manifestTemp);
        Path objectManifestTemp = temp.resolveSibling(temp.getFileName() + ".json");
        if (objectManifest != null) {
            Files.write(objectManifestTemp, objectManifest.apply(shard), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (objectManifest != null) {
            Files.move(objectManifestTemp, StagedShard.objectManifestOf(target), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(manifestTemp, StagedShard.manifestOf(target), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        return shard;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                out.close();
            } catch (IOException e) {
                // the temporary file is removed below
            }
            try {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".manifest"));
                Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".json"));
            } catch (IOException e) {
                // left for the operator; it never has a shard's name
            }
        }
    }

    /** A GZIP stream whose deflater runs at a chosen level. */
    private static final class LeveledGzipStream extends GZIPOutputStream {
        LeveledGzipStream(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
