package io.archiver.localstack.quarkus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.archiver.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Hands the real servers of {@link LocalStack#forTests()} to a Quarkus test: they start once per
 * test JVM on free ports, and their addresses and credentials become the test's configuration.
 * The init argument {@code servers} (default {@code kafka,mysql,s3}) names the servers a service needs.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    private Set<LocalStack.Server> servers = EnumSet.allOf(LocalStack.Server.class);

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.get("servers");
        if (names != null) {
            servers = Arrays.stream(names.split(","))
                    .map(name -> LocalStack.Server.valueOf(name.trim().toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(LocalStack.Server.class)));
        }
    }

    @Override
    public Map<String, String> start() {
        LocalStack stack = LocalStack.forTests().ensure(servers);
        return stack.quarkusConfig().entrySet().stream()
                .filter(e -> servers.contains(LocalStack.Server.KAFKA) || !e.getKey().startsWith("kafka."))
                .filter(e -> servers.contains(LocalStack.Server.MYSQL) || !e.getKey().startsWith("quarkus.datasource."))
                .filter(e -> servers.contains(LocalStack.Server.S3)
                        || !(e.getKey().startsWith("quarkus.s3.") || e.getKey().startsWith("archiver.s3.")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void stop() {
        // The servers live as long as the test JVM: other test classes reuse them.
    }
}
