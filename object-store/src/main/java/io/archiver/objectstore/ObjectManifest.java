package io.archiver.objectstore;

import java.io.IOException;
import java.util.Optional;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;

/**
 * What the manifest beside an archive object ({@code <key>.manifest.json}) says: none there, a file that is not a manifest, or
 * the manifest. The one read of an object's manifest for the exporter (an earlier export at a key), the uploader (an object is
 * not announced without its manifest) and the archive's readers, each of which decides what a missing or unreadable one means.
 */
public sealed interface ObjectManifest {

    /** The manifest's key. */
    String manifestKey();

    /** No object at the manifest's key. */
    record Missing(String manifestKey) implements ObjectManifest {
    }

    /** Something at the manifest's key that does not decode as a manifest; {@code problem} says why. */
    record Unreadable(String manifestKey, String problem) implements ObjectManifest {
    }

    record Found(String manifestKey, ArchiveManifest manifest) implements ObjectManifest {

        /** This manifest's entry for {@code objectKey}, where it has one. */
        public Optional<ArchiveManifest.ObjectEntry> entry(String objectKey) {
            return manifest.objects().stream().filter(o -> o.key().equals(objectKey)).findFirst();
        }
    }

    /** The manifest beside {@code objectKey} in {@code store}'s bucket (a small read). */
    static ObjectManifest of(ObjectStore store, String objectKey) {
        String manifestKey = ManifestKeys.ofObject(objectKey);
        Optional<byte[]> json = store.readSmall(manifestKey);
        if (json.isEmpty()) {
            return new Missing(manifestKey);
        }
        try {
            return new Found(manifestKey, ManifestCodec.decode(json.get()));
        } catch (IOException | RuntimeException e) {
            return new Unreadable(manifestKey, String.valueOf(e.getMessage()));
        }
    }
}
