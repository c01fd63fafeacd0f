package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ARCHIVER_SERVICE_JVM_OPTIONS} (every service) and {@code ARCHIVER_SERVICE_JVM_OPTIONS_<SERVICE>} (one): opt-in options for profiling, none unless set. */
class ExtraJvmOptionsTest {

    @Test
    void noOptionsAreAddedUnlessTheVariableIsSet() {
        assertThat(ServiceProcess.extraJvmOptions(null, "exporter-service")).isEmpty();
        assertThat(ServiceProcess.extraJvmOptions("  ", "exporter-service")).isEmpty();
    }

    @Test
    void optionsAreSplitOnWhiteSpaceWithTheServiceNamed() {
        assertThat(ServiceProcess.extraJvmOptions(" -XX:StartFlightRecording=filename=/tmp/{service}.jfr  -Dx=1 ", "deleter-service"))
                .containsExactly("-XX:StartFlightRecording=filename=/tmp/deleter-service.jfr", "-Dx=1");
    }

    @Test
    void eachServiceHasAVariableOfItsOwn() {
        assertThat(ServiceProcess.serviceJvmOptionsEnv(ArchiverService.SCANNER)).isEqualTo("ARCHIVER_SERVICE_JVM_OPTIONS_SCANNER");
        assertThat(ServiceProcess.serviceJvmOptionsEnv(ArchiverService.DELETER)).isEqualTo("ARCHIVER_SERVICE_JVM_OPTIONS_DELETER");
    }
}
