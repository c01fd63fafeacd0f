package io.archiver.operations.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.operations.OperationRefused;

/**
 * Issues a short-lived RS256-signed JWT for a local stack (archivectl token): subject, role (as the groups claim, with the
 * roles below it), issuer and expiry, signed with an RSA private key in PKCS#8 PEM. The API verifies it with the public key
 * (MicroProfile JWT). The key and the token are never logged.
 */
public final class TokenIssuer {

    /** The issuer the API expects ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "archiver";
    /** The longest life a token issued here may have. */
    public static final Duration LONGEST = Duration.ofHours(12);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateKey key;

    private TokenIssuer(PrivateKey key) {
        this.key = key;
    }

    /** From an RSA private key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static TokenIssuer fromPem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new OperationRefused("privateKey", "is required: an RSA private key in PKCS#8 PEM");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return new TokenIssuer(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // the message names no part of the key
            throw new OperationRefused("privateKey", "is not an RSA private key in PKCS#8 PEM");
        }
    }

    public static TokenIssuer of(PrivateKey key) {
        return new TokenIssuer(key);
    }

    /** A token for {@code subject} with {@code role} (and the roles below it), valid for {@code ttl} from {@code now}. */
    public String issue(String subject, Roles role, Duration ttl, Instant now) {
        if (subject == null || subject.isBlank() || subject.length() > 100 || !subject.matches("[A-Za-z0-9._@:-]+")) {
            throw new OperationRefused("subject", "must be 1 to 100 characters of letters, digits, '.', '_', '@', ':' and '-'");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(LONGEST) > 0) {
            throw new OperationRefused("ttl", "must be positive and at most " + LONGEST + ", not " + ttl);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", role.groups());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = part(header) + "." + part(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with RS256", e);
        }
    }

    private static String part(Map<String, Object> json) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
