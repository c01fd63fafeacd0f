package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;

/** {@code archivectl token} prints a token signed with the key in the environment, and never prints the key. */
class TokenCommandTest {

    @Test
    void aTokenIsSignedWithTheKeyInTheEnvironmentAndCarriesTheRole() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Result result = Cli.run(Map.of("ARCHIVER_TOKEN_PRIVATE_KEY", pem), "token", "--subject", "alice", "--role", "admin", "--ttl", "PT5M");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String[] parts = result.out().trim().split("\\.");
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(keys.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("groups").toString()).isEqualTo("[\"viewer\",\"operator\",\"admin\"]");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
    }

    @Test
    void withoutAKeyOrWithABadOneItIsAUsageErrorThatShowsNoKey() {
        Result none = Cli.run(Map.of(), "token");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("$ARCHIVER_TOKEN_PRIVATE_KEY");
        Result bad = Cli.run(Map.of("ARCHIVER_TOKEN_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0a2V5\n-----END PRIVATE KEY-----"), "token");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err() + bad.out()).doesNotContain("c2VjcmV0a2V5");
        assertThat(Cli.run(Map.of(), "token", "--role", "root").exitCode()).isEqualTo(2);
    }
}
