package io.archiver.localstack.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.process.StackLayout;

/**
 * S3Proxy's JIT options do what they say: a misspelt flag stops the JVM, but a CompileCommand that matches nothing only
 * warns, so the test has the JVM print its compilations and looks for the digests' C2 ones and for no other.
 */
class S3ServerJitOptionsTest {

    @Test
    void theDigestsReachC2WhileTheRestStaysBelowIt() throws Exception {
        List<String> command = new ArrayList<>(List.of(StackLayout.java()));
        command.addAll(S3Server.JIT_OPTIONS);
        command.addAll(List.of("-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path"), DigestLoop.class.getName()));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "CompileCommand: An error");
        // PrintCompilation: "<ms> <id> [flags] <tier> <method>"; tier 4 is C2
        assertThat(output.lines().filter(l -> l.matches(".*\\s4\\s+sun\\.security\\.provider\\.SHA2::implCompress.*"))).as(output).isNotEmpty();
        assertThat(output.lines().filter(l -> l.matches(".*\\s4\\s+io\\.archiver\\..*"))).as("no C2 for the rest").isEmpty();
    }

    /** SHA-256 over 64 MiB, about what S3Proxy digests for one run's puts; and a loop of its own that C2 takes by default. */
    public static final class DigestLoop {

        public static void main(String[] args) throws Exception {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[128 * 1024];
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sha.update(chunk);
                sum += spin(i);
            }
            System.out.println(sha.digest().length + sum);
        }

        static long spin(int seed) {
            long x = seed;
            for (int i = 0; i < 5_000; i++) {
                x = x * 31 + i;
            }
            return x;
        }
    }
}
