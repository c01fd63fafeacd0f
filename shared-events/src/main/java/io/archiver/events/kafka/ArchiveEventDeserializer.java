package io.archiver.events.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;

/**
 * Reads a Kafka record value as an event. A record that is not a valid event raises a
 * {@link SerializationException} whose cause is the {@link EventDecodingException} with its reason.
 */
public class ArchiveEventDeserializer implements Deserializer<ArchiveEvent> {

    @Override
    public ArchiveEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return EventCodec.decode(data);
        } catch (EventDecodingException e) {
            throw new SerializationException("record on " + topic + " is not an event: " + e.getMessage(), e);
        }
    }
}
