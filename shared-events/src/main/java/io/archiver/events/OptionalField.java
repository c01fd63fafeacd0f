package io.archiver.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field added to an event after records without it were written: {@link EventCodec} decodes a record that lacks it
 * as if it held 0 (a number) or null (anything else; the record's constructor says what null means). Every other field
 * must be present.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OptionalField {
}
