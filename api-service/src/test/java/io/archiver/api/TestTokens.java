package io.archiver.api;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import io.archiver.operations.tokens.Roles;
import io.archiver.operations.tokens.TokenIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A key pair made for this test JVM: the API verifies tokens with its public key (mp.jwt.verify.publickey), the tests sign
 * theirs with the private one through the same {@link TokenIssuer} as {@code archivectl token}.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey", publicKeyPem());
    }

    @Override
    public void stop() {
    }

    public static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A token of {@code subject} with {@code role}, valid for 10 minutes. */
    public static String token(String subject, Roles role) {
        return TokenIssuer.of(KEYS.getPrivate()).issue(subject, role, Duration.ofMinutes(10), Instant.now());
    }

    /** A token signed with a key the API does not know. */
    public static String foreignToken(String subject, Roles role) {
        return TokenIssuer.of(OTHER_KEYS.getPrivate()).issue(subject, role, Duration.ofMinutes(10), Instant.now());
    }

    /** A token that expired a while ago. */
    public static String expiredToken(String subject, Roles role) {
        return TokenIssuer.of(KEYS.getPrivate()).issue(subject, role, Duration.ofMinutes(1), Instant.now().minus(Duration.ofMinutes(30)));
    }
}
