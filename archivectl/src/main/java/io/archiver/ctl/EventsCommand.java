package io.archiver.ctl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.kafka.KafkaAccess;
import io.archiver.operations.runs.BatchRow;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One run's event log, read from every topic of the flow. */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Print the event log of one run: every event of the run on archive.requests, .batches, .shards, .uploads, "
                + ".completions and .runs, read from their beginning to their current end, ordered by occurredAt.",
                "A replayed event shows once per copy on the topics." },
        footer = { "", "Line format: <occurredAt>  <batch>  <KIND>  <details>",
                "KIND: REQUESTED, PLANNED, EXPORTED, UPLOADED, DELETED (MOVED), FAILED, COMPLETED", "",
                "Example:", "  archivectl events run-20261123T105258Z-5f3725ea --json | jq .kind" })
public class EventsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String runId;

    @Option(names = "--json", description = "One JSON object per line: occurredAt, topic, partition, offset, kind, runId, batchId, event.")
    boolean json;

    private record Found(ArchiveEvent event, String topic, int partition, long offset) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Found> found = new ArrayList<>();
        int[] undecodable = { 0 };
        try (KafkaAccess kafka = new KafkaAccess(connection.settings())) {
            List<TopicPartition> partitions = new ArrayList<>();
            kafka.partitions(Topics.ALL, false).values().forEach(partitions::addAll);
            kafka.readToEnd(partitions, record -> {
                if (!mayBelong(record)) {
                    return;
                }
                try {
                    ArchiveEvent event = EventCodec.decode(record.value());
                    if (runId.equals(event.runId())) {
                        found.add(new Found(event, record.topic(), record.partition(), record.offset()));
                    }
                } catch (EventDecodingException e) {
                    if (record.key() != null) {
                        undecodable[0]++;
                    }
                }
            });
        }
        if (undecodable[0] > 0) {
            err.printf("(%d record(s) keyed for this run are not events and were left out; see 'archivectl dlq list --run %s')%n", undecodable[0],
                    runId);
            err.flush();
        }
        if (found.isEmpty()) {
            throw new CtlException("no events of run " + runId + " on " + String.join(", ", Topics.ALL));
        }
        found.sort(Comparator.comparing((Found f) -> f.event().occurredAt()).thenComparing(f -> Topics.ALL.indexOf(f.topic()))
                .thenComparingInt(Found::partition).thenComparingLong(Found::offset));
        int batchWidth = found.stream().mapToInt(f -> BatchRow.shortId(runId, f.event().batchId()).length()).max().orElse(1);
        for (Found f : found) {
            ArchiveEvent event = f.event();
            String batch = BatchRow.shortId(runId, event.batchId());
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("occurredAt", event.occurredAt().toString());
                line.put("topic", f.topic());
                line.put("partition", f.partition());
                line.put("offset", f.offset());
                line.put("kind", EventSummary.kind(event));
                line.put("runId", event.runId());
                line.put("batchId", event.batchId());
                line.put("event", Json.tree(EventCodec.encode(event)));
                out.println(Json.line(line));
            } else {
                out.printf("%-24s  %-" + batchWidth + "s  %-9s  %s%n", Formats.time(event.occurredAt()), batch, EventSummary.kind(event),
                        EventSummary.details(event));
            }
        }
        out.flush();
        return Archivectl.OK;
    }

    /** Events are keyed by their batch id (run id + "-b…") or their run id: other records need not be decoded. */
    private boolean mayBelong(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return true;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        return key.equals(runId) || key.startsWith(runId + "-");
    }
}
