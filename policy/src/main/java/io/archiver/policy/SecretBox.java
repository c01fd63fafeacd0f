package io.archiver.policy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A source password stored encrypted at rest: AES-GCM with a 128-bit tag and a fresh 96-bit nonce per encryption, the source's
 * name as associated data (a ciphertext copied to another source does not decrypt), under the key in {@value #KEY_VARIABLE}
 * (base64 of 16, 24 or 32 bytes; {@code openssl rand -base64 32}). Its {@link #digest} (HMAC-SHA256 under the same key, 16 hex)
 * tells whether a password changed without showing it, so that applying the same password again is no change.
 */
public final class SecretBox {

    public static final String KEY_VARIABLE = "ARCHIVER_SOURCE_KEY";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of the key in the environment; refused, naming the variable and never its value, when it is missing or not a key. */
    public static SecretBox fromEnvironment(Function<String, String> environment) {
        String encoded = environment.apply(KEY_VARIABLE);
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("$" + KEY_VARIABLE + " is not set; an encrypted source password needs the key: export "
                    + KEY_VARIABLE + "=$(openssl rand -base64 32), the same for archivectl and every service");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$" + KEY_VARIABLE + " is not base64; write e.g. $(openssl rand -base64 32)");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("$" + KEY_VARIABLE + " holds " + key.length + " bytes; an AES key is 16, 24 or 32 bytes"
                    + " (openssl rand -base64 32)");
        }
        return new SecretBox(key);
    }

    /** base64 of nonce and ciphertext with its tag. */
    public String encrypt(String source, String password) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(source.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the password of source " + source + ": " + e.getClass().getSimpleName());
        }
    }

    /** The password of {@code source}; refused when the key is not the one it was encrypted with or the text was changed. */
    public String decrypt(String source, String encrypted) {
        try {
            byte[] in = Base64.getDecoder().decode(encrypted);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            cipher.updateAAD(source.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt the password of source " + source + ": $" + KEY_VARIABLE
                    + " is not the key it was stored with, or the stored value was altered; apply the source again with the right key");
        }
    }

    /** 16 hex of HMAC-SHA256 of the password under the key: equal for the same password, telling nothing without the key. */
    public String digest(String source, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            mac.update((source + "\0").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot digest the password of source " + source + ": " + e.getClass().getSimpleName());
        }
    }
}
