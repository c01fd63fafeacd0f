package io.archiver.api.rest;


import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.archiver.api.operations.KafkaReads;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.operations.replay.PartitionReplay;
import io.archiver.operations.replay.ReplayOrder;
import io.archiver.operations.replay.ReplayResult;
import io.smallrye.common.annotation.Blocking;

/**
 * Replays of a topic partition through {@link PartitionReplay} as archivectl's {@code replay}: an operator resets a stopped consumer
 * group's offset, or republishes the records while it runs; only the flow's topics and their dead-letter topics. Safe to repeat:
 * every handler is idempotent.
 */
@Path("/api/v1/replays")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ReplayResource {

    private static final Logger LOG = Logger.getLogger(ReplayResource.class);

    /** {@code fromOffset} or {@code fromTimestamp} (ISO-8601), one of them. */
    public record ReplayBody(String topic, Integer partition, String group, Long fromOffset, String fromTimestamp, Boolean republish,
            Boolean dryRun) {
    }

    private final KafkaReads kafka;
    private final Caller caller;

    public ReplayResource(KafkaReads kafka, Caller caller) {
        this.kafka = kafka;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR)
    public ReplayResult replay(ReplayBody body) {
        if (body == null) {
            throw new OperationRefused(null, "a JSON body is required: {\"topic\": ..., \"partition\": 0, \"group\": ..., \"fromOffset\": 0}");
        }
        if (body.partition() == null) {
            throw new OperationRefused("partition", "is required");
        }
        ReplayOrder order = new ReplayOrder(body.topic(), body.partition(), body.group(), body.fromOffset(),
                Params.instant("fromTimestamp", body.fromTimestamp()), Boolean.TRUE.equals(body.republish()), Boolean.TRUE.equals(body.dryRun()),
                caller.requestedBy());
        PartitionReplay.check(order); // refused before Kafka is asked
        PartitionReplay.requireArchiverTopic(order.topic());
        ReplayResult result;
        try (KafkaAccess access = kafka.open()) {
            result = new PartitionReplay(access).replay(order);
        }
        LOG.infof("partition replay by=%s topic=%s partition=%d group=%s action=%s from=%d records=%d", order.requestedBy(), order.topic(),
                order.partition(), order.group(), result.action(), result.target(), result.records());
        return result;
    }
}
