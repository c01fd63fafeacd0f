package io.archiver.policy;

/** A source as the control database holds it: its settings, its version (1 when created, +1 per change) and who changed it last. */
public record StoredSource(SourceSpec spec, int version, String updatedBy, long updatedAtMs) {

    public String name() {
        return spec.name();
    }
}
