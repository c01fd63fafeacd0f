package io.archiver.support.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.archiver.events.ArchiveEvent;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/** Records through a service's in-memory channels ({@link InMemoryChannels}): what a test sends in, and what the service published. */
public final class ChannelRecords {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ChannelRecords() {
    }

    /** A record as the Kafka consumer hands it over: acknowledged, or nacked (sent to the dead-letter topic) with a reason. */
    public static final class Delivery {
        public final AtomicInteger acks = new AtomicInteger();
        public final List<Throwable> nacks = new CopyOnWriteArrayList<>();

        Message<byte[]> of(byte[] payload) {
            return Message.of(payload).withAck(() -> {
                acks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }).withNack(reason -> {
                nacks.add(reason);
                return CompletableFuture.completedFuture(null);
            });
        }

        boolean settled() {
            return acks.get() + nacks.size() > 0;
        }
    }

    /** Sends {@code payload} on a Vert.x context, as the Kafka connector does, and waits until the service settled it. */
    public static Delivery send(InMemorySource<Object> source, byte[] payload) {
        Delivery delivery = new Delivery();
        source.runOnVertxContext(true).send(delivery.of(payload));
        await().atMost(WAIT).until(delivery::settled);
        return delivery;
    }

    /** The events of {@code type} about batch {@code batchId} published on {@code sink} so far. */
    public static <T extends ArchiveEvent> List<T> published(InMemorySink<ArchiveEvent> sink, Class<T> type, String batchId) {
        return sink.received().stream().map(Message::getPayload).filter(type::isInstance).map(type::cast)
                .filter(e -> batchId.equals(e.batchId())).toList();
    }

    /** Every event about batch {@code batchId} published on {@code sink} so far. */
    public static List<ArchiveEvent> published(InMemorySink<ArchiveEvent> sink, String batchId) {
        return published(sink, ArchiveEvent.class, batchId);
    }
}
