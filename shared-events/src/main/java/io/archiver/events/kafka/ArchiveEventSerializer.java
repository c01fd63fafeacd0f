package io.archiver.events.kafka;

import org.apache.kafka.common.serialization.Serializer;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;

/** Writes an event's JSON form as a Kafka record value. */
public class ArchiveEventSerializer implements Serializer<ArchiveEvent> {

    @Override
    public byte[] serialize(String topic, ArchiveEvent event) {
        return event == null ? null : EventCodec.encode(event);
    }
}
