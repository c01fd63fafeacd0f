package io.archiver.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.operations.tokens.Roles;
import io.archiver.operations.tokens.TokenIssuer;

/** A token is RS256-signed with the private key, verifiable with the public one, and carries its role and the roles below it. */
class TokenIssuerTest {

    @Test
    void aTokenIsSignedAndCarriesItsRoleAndTheOnesBelow() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Instant now = Instant.parse("2026-12-06T13:00:00Z");
        String token = TokenIssuer.fromPem(pem).issue("alice", Roles.OPERATOR, Duration.ofMinutes(15), now);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(keys.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("iss").asText()).isEqualTo(TokenIssuer.ISSUER);
        assertThat(claims.get("groups").toString()).isEqualTo("[\"viewer\",\"operator\"]");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(900);
    }

    @Test
    void aBadKeyOrLifeIsRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> TokenIssuer.fromPem("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----"))
                .isInstanceOf(OperationRefused.class).hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> Roles.of("root")).isInstanceOf(OperationRefused.class);
    }
}
