package io.archiver.localstack.services;

import java.util.List;

/** The four services of the flow: their module and the local servers each one uses. */
public enum ArchiverService {
    SCANNER("scanner-service", List.of("kafka", "mysql")),
    EXPORTER("exporter-service", List.of("kafka", "mysql")),
    UPLOADER("uploader-service", List.of("kafka", "s3")),
    DELETER("deleter-service", List.of("kafka", "mysql", "s3"));

    private final String module;
    private final List<String> uses;

    ArchiverService(String module, List<String> uses) {
        this.module = module;
        this.uses = uses;
    }

    public String module() {
        return module;
    }

    public List<String> uses() {
        return uses;
    }
}
