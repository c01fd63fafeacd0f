package io.archiver.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A nullable field an event gained after records without it were written to a topic: {@link EventCodec} decodes such a
 * record with the field null, its meaning "not said", so a replay of an older topic still decodes. Every other field must
 * be present. Only for a field whose null is a sane default; one that has none (an object key's run date) needs a new
 * schema version instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface AddedLater {

    /** What added it, for a reader. */
    String value();
}
