package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A source file: defaults, the three ways to give a password, every mistake named at once, the password never in the settings. */
class SourceFileTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aSourceNeedsHostDatabaseUserAndWhereItsPasswordIs() {
        List<SourceSpec> specs = SourceFile.parse("sources.yaml", """
                sources:
                  shop:
                    host: db1.example
                    database: shop
                    user: archiver
                    password-env: SHOP_DB_PASSWORD
                  billing:
                    host: 10.0.0.5
                    port: 3307
                    database: billing
                    user: arch
                    tls: verify-identity
                    password-file: /var/run/secrets/billing/password
                    enabled: false
                """, Map.<String, String>of()::get);
        assertThat(specs).containsExactly(
                new SourceSpec("shop", "db1.example", 3306, "shop", "archiver", TlsMode.REQUIRED, SourcePassword.env("SHOP_DB_PASSWORD"), true),
                new SourceSpec("billing", "10.0.0.5", 3307, "billing", "arch", TlsMode.VERIFY_IDENTITY,
                        SourcePassword.file("/var/run/secrets/billing/password"), false));
        assertThat(specs.get(0).jdbcUrl()).isEqualTo("jdbc:mariadb://db1.example:3306/shop?sslMode=trust");
        assertThat(specs.get(1).settings()).containsEntry("password", "file /var/run/secrets/billing/password");
    }

    @Test
    void everyMistakeIsReportedAtOnceNamingTheSettingAndTheFix() {
        assertThatThrownBy(() -> SourceFile.parse("sources.yaml", """
                sources:
                  control:
                    host: db1
                    database: shop
                    user: a
                    password-env: P
                  shop:
                    host: db1
                    port: 70000
                    user: a
                    password: secret
                    tls: PREFERRED
                  both:
                    host: db1
                    database: d
                    user: a
                    password-env: P
                    password-file: /p
                """, Map.<String, String>of()::get))
                .isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "sources.control: the name control is the control database itself (a policy without source: uses it);"
                                + " give this source another name",
                        "sources.shop.password: unknown setting; the settings are " + String.join(", ", SourceSpec.SETTINGS)
                                + " (never the password itself)",
                        "sources.shop.database: missing; every source names its database",
                        "sources.shop.tls: 'PREFERRED' is not one of DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY",
                        "sources.shop.password-env: missing; name where the password is: password-env: VARIABLE (the services'"
                                + " environment), password-file: /path (a mounted Kubernetes Secret) or password-encrypted-from-env:"
                                + " VARIABLE (read now, stored encrypted)",
                        "sources.both.password-env: give one of [password-env, password-file], not 2; name where the password is:"
                                + " password-env: VARIABLE (the services' environment), password-file: /path (a mounted Kubernetes"
                                + " Secret) or password-encrypted-from-env: VARIABLE (read now, stored encrypted)"));
    }

    @Test
    void anEncryptedPasswordIsReadFromTheEnvironmentAndOnlyItsEncryptionIsKept() {
        Map<String, String> env = Map.of("SHOP_PW", "s3cret-Pa55", SecretBox.KEY_VARIABLE, KEY);
        SourceSpec shop = SourceFile.parse("f", """
                sources:
                  shop: {host: db1, database: shop, user: a, password-encrypted-from-env: SHOP_PW}
                """, env::get).get(0);
        assertThat(shop.password().kind()).isEqualTo(SourcePassword.Kind.ENCRYPTED);
        assertThat(shop.toString()).doesNotContain("s3cret-Pa55").doesNotContain(shop.password().encrypted());
        assertThat(shop.settings().toString()).doesNotContain("s3cret-Pa55").doesNotContain(shop.password().encrypted());
        assertThat(shop.password().encrypted()).doesNotContain("s3cret-Pa55");
        assertThat(shop.password().resolve("shop", env::get)).isEqualTo("s3cret-Pa55");
        // the same password again: the same digest, so applying it again is no change
        SourceSpec again = SourceFile.parse("f", "sources: {shop: {host: db1, database: shop, user: a, password-encrypted-from-env: SHOP_PW}}",
                env::get).get(0);
        assertThat(again.settings()).isEqualTo(shop.settings());
        assertThat(again.password().encrypted()).isNotEqualTo(shop.password().encrypted()); // a fresh nonce each time

        assertThatThrownBy(() -> SourceFile.parse("f", "sources: {shop: {host: db1, database: shop, user: a, password-encrypted-from-env: SHOP_PW}}",
                Map.of("SHOP_PW", "x")::get)).isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.problems())
                        .containsExactly("sources.shop.password-encrypted-from-env: $ARCHIVER_SOURCE_KEY is not set; an encrypted source"
                                + " password needs the key: export ARCHIVER_SOURCE_KEY=$(openssl rand -base64 32), the same for archivectl"
                                + " and every service"));
    }

    @Test
    void aCiphertextDoesNotDecryptUnderAnotherKeyNorForAnotherSource() {
        SecretBox box = SecretBox.fromEnvironment(Map.of(SecretBox.KEY_VARIABLE, KEY)::get);
        String sealed = box.encrypt("shop", "pw");
        assertThat(box.decrypt("shop", sealed)).isEqualTo("pw");
        assertThatThrownBy(() -> box.decrypt("billing", sealed)).hasMessageContaining("cannot decrypt the password of source billing")
                .hasMessageNotContaining("pw\"");
        byte[] other = new byte[32];
        other[0] = 1;
        SecretBox wrong = SecretBox.fromEnvironment(Map.of(SecretBox.KEY_VARIABLE, Base64.getEncoder().encodeToString(other))::get);
        assertThatThrownBy(() -> wrong.decrypt("shop", sealed)).hasMessageContaining("is not the key it was stored with");
    }
}
