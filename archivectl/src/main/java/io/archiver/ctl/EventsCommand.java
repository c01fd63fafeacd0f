package io.archiver.ctl;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;


import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.operations.runs.BatchRow;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;
import io.archiver.operations.events.RunEvent;
import io.archiver.operations.events.RunEvents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One run's event log, read from every topic of the flow by {@link RunEvents} (as the API's). */
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunEvents.Log log;
        try (KafkaAccess kafka = connection.settings().kafka()) {
            log = new RunEvents(kafka).of(runId);
        }
        if (log.undecodable() > 0) {
            err.printf("(%d record(s) keyed for this run are not events and were left out; see 'archivectl dlq list --run %s')%n",
                    log.undecodable(), runId);
            err.flush();
        }
        int batchWidth = log.events().stream().mapToInt(f -> BatchRow.shortId(runId, f.event().batchId()).length()).max().orElse(1);
        for (RunEvent f : log.events()) {
            ArchiveEvent event = f.event();
            String batch = BatchRow.shortId(runId, event.batchId());
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("occurredAt", event.occurredAt().toString());
                line.put("topic", f.topic());
                line.put("partition", f.partition());
                line.put("offset", f.offset());
                line.put("kind", f.kind());
                line.put("runId", event.runId());
                line.put("batchId", event.batchId());
                line.put("event", Json.tree(EventCodec.encode(event)));
                out.println(Json.line(line));
            } else {
                out.printf("%-24s  %-" + batchWidth + "s  %-9s  %s%n", Formats.time(event.occurredAt()), batch, f.kind(), f.details());
            }
        }
        out.flush();
        return Archivectl.OK;
    }
}
