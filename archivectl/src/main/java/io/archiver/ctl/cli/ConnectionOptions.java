package io.archiver.ctl.cli;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The connection flags every command takes; see {@link Settings} for where else they come from. */
public final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE", order = 100,
            description = "Properties file with kafka.bootstrap.servers, archiver.db.url, archiver.db.user, archiver.db.password "
                    + "(and kafka.* client settings). Flags win over environment variables, which win over this file.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", order = 101,
            description = "Kafka bootstrap servers (else $KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--jdbc-url", paramLabel = "URL", order = 102,
            description = "The ledger database, jdbc:mariadb://HOST:PORT/DB (else $ARCHIVER_DB_URL).")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", order = 103, description = "Ledger database user (else $ARCHIVER_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", order = 104, arity = "0..1", interactive = true,
            prompt = "Password of the ledger database: ",
            description = "Ledger database password (else $ARCHIVER_DB_PASSWORD); without a value it is read from the terminal. "
                    + "Prefer the environment or the config file: a flag shows in the process list.")
    String dbPassword;

    private Settings settings;

    public synchronized Settings settings() {
        if (settings == null) {
            Archivectl root = (Archivectl) mixee.root().userObject();
            settings = Settings.resolve(new Settings.Flags(bootstrapServers, jdbcUrl, dbUser, dbPassword, configFile), root::environment);
        }
        return settings;
    }
}
