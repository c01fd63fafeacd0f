package io.archiver.operations.sources;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.archiver.policy.PolicyFileException;
import io.archiver.policy.SourceSpec;

/**
 * A source document sent over the API: a source file's YAML (or the same as JSON) where a source may also carry its
 * {@code password} itself. That password is write-only: it is encrypted at once with the source key ({@code ARCHIVER_SOURCE_KEY},
 * as {@code password-encrypted-from-env} would) and only its encryption and digest are stored; no answer, problem or log line
 * holds it.
 */
public final class SourceDocument {

    /** The setting that carries a password itself, accepted only here. */
    public static final String INLINE_PASSWORD = "password";

    private static final String INLINE_VARIABLE = "ARCHIVER_INLINE_PASSWORD_";
    private static final String ENCRYPTED = "password-encrypted-from-env";

    private SourceDocument() {
    }

    /** The sources of {@code text}; {@code environment} gives the source key and the variables the document names. */
    public static List<SourceSpec> parse(String where, String text, Function<String, String> environment) {
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            // the parser's message may quote the document, and so a password: say only where
            throw new PolicyFileException(where, List.of("not YAML or JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "); expected sources: {NAME: {host: ..., database: ..., user: ..., password: ...}}"));
        }
        Map<String, String> inline = new HashMap<>();
        if (tree != null && tree.path("sources").isObject()) {
            Iterator<Map.Entry<String, JsonNode>> sources = tree.path("sources").fields();
            while (sources.hasNext()) {
                Map.Entry<String, JsonNode> source = sources.next();
                if (source.getValue() instanceof ObjectNode settings && settings.has(INLINE_PASSWORD)) {
                    JsonNode password = settings.remove(INLINE_PASSWORD);
                    if (!password.isTextual() || password.asText().isEmpty()) {
                        throw new PolicyFileException(where, List.of("sources." + source.getKey() + "." + INLINE_PASSWORD
                                + ": expected the password as a non-empty string"));
                    }
                    if (settings.has(ENCRYPTED) || settings.has("password-env") || settings.has("password-file")) {
                        throw new PolicyFileException(where, List.of("sources." + source.getKey() + "." + INLINE_PASSWORD
                                + ": give the password or where it is (password-env, password-file, " + ENCRYPTED + "), not both"));
                    }
                    String variable = INLINE_VARIABLE + inline.size();
                    inline.put(variable, password.asText());
                    settings.put(ENCRYPTED, variable);
                }
            }
        }
        Function<String, String> withInline = name -> inline.containsKey(name) ? inline.get(name) : environment.apply(name);
        String rewritten;
        try {
            rewritten = new ObjectMapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed source document back", e);
        }
        try {
            return SourceOperations.parse(where, rewritten, withInline);
        } catch (PolicyFileException e) {
            // a problem about an inline password names the setting the caller wrote, not the stand-in
            List<String> problems = e.problems().stream().map(p -> inline.isEmpty() || !p.contains(INLINE_VARIABLE) ? p
                    : p.replace(ENCRYPTED, INLINE_PASSWORD).replaceAll("\\$?" + INLINE_VARIABLE + "\\d+ ?", "")).toList();
            throw new PolicyFileException(where, problems);
        }
    }
}
