package io.archiver.events;

/** Versions of the events' JSON form. Additive, optional fields do not change the version. */
public final class SchemaVersion {

    /** The version this build writes and the only one it reads. */
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }

    static int require(int version) {
        if (version != CURRENT) {
            throw new EventValidationException(EventDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION,
                    "schemaVersion", "schema version " + version + " is not supported (this build reads " + CURRENT + ")");
        }
        return version;
    }
}
