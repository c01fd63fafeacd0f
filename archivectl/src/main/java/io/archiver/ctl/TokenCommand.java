package io.archiver.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.tokens.Roles;
import io.archiver.operations.tokens.TokenIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Issues a short-lived token for the operator API of a local stack, signed with the private key in the environment. */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Print a short-lived bearer token (RS256 JWT) for the operator API, signed with the RSA private key (PKCS#8 PEM) in "
                + "$ARCHIVER_TOKEN_PRIVATE_KEY, or in the file $ARCHIVER_TOKEN_PRIVATE_KEY_FILE names.",
                "For a local stack: production tokens come from the organisation's identity provider (docs/api.md)." },
        footer = { "", "Examples:", "  TOKEN=$(archivectl token --subject alice --role operator)",
                "  curl -H \"Authorization: Bearer $TOKEN\" http://localhost:8085/api/v1/runs" })
public class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--subject", paramLabel = "WHO", description = "Who the token names; requestedBy becomes api:WHO (default: the OS user).")
    String subject;

    @Option(names = "--role", paramLabel = "viewer|operator|admin", defaultValue = "viewer",
            description = "The role, with the roles below it (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "PT15M", converter = DurationConverter.class,
            description = "How long the token is valid, at most PT12H (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() {
        Archivectl root = (Archivectl) spec.root().userObject();
        String who = subject != null ? subject : System.getProperty("user.name", "unknown");
        try {
            String token = TokenIssuer.fromPem(privateKey(root)).issue(who, Roles.of(role), ttl, Instant.now());
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return Archivectl.OK;
        } catch (OperationRefused e) {
            String option = switch (e.field() == null ? "" : e.field()) {
                case "privateKey" -> "$ARCHIVER_TOKEN_PRIVATE_KEY";
                case "subject" -> "--subject";
                default -> "--" + e.field();
            };
            throw new UsageException(option + " " + e.reason());
        }
    }

    private static String privateKey(Archivectl root) {
        String pem = root.environment("ARCHIVER_TOKEN_PRIVATE_KEY");
        if (pem != null && !pem.isBlank()) {
            return pem;
        }
        String file = root.environment("ARCHIVER_TOKEN_PRIVATE_KEY_FILE");
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("$ARCHIVER_TOKEN_PRIVATE_KEY_FILE: cannot read " + file);
        }
    }
}
