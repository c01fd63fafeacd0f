package io.archiver.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The JSON form of the events: an object with a {@code type} naming the event, a
 * {@code schemaVersion}, and the record's fields by name. Decoding is strict: every field of the
 * record must be present (nullable ones may be {@code null}), no scalar is coerced from another
 * JSON type, and any violation is an {@link EventDecodingException} with a typed reason. Unknown
 * extra fields are ignored, so that an additive change needs no new schema version; a nullable field an event gained
 * later ({@link AddedLater}) may be absent, so that records written before it still decode.
 */
public final class EventCodec {

    /** The largest record accepted; anything larger is not one of our events. */
    public static final int MAX_EVENT_BYTES = 64 * 1024;

    public static final String TYPE_FIELD = "type";
    public static final String VERSION_FIELD = "schemaVersion";

    private static final Map<String, Class<? extends ArchiveEvent>> TYPES = types(
            ArchiveRequested.class, ArchiveBatchReady.class, ArchiveShardExported.class, ArchiveUploaded.class,
            ArchiveBatchDeleted.class, ArchiveBatchFailed.class, ArchiveRunCompleted.class, ArchiveRunAwaitingConfirmation.class,
            ArchiveRunConfirmed.class, RestoreRequested.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // text is text: no number or boolean silently becomes a string
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // dates and instants only as ISO-8601 strings: an epoch number has no unit anyone can be sure of
            .addModule(new SimpleModule("archiver-strict-time")
                    .addDeserializer(Instant.class, new StringOnly<>(Instant.class, InstantDeserializer.INSTANT))
                    .addDeserializer(LocalDate.class, new StringOnly<>(LocalDate.class, LocalDateDeserializer.INSTANCE)))
            .build();

    /** Accepts only a JSON string, then lets {@code delegate} parse it. */
    private static final class StringOnly<T> extends StdDeserializer<T> {
        private final JsonDeserializer<? extends T> delegate;

        StringOnly(Class<T> type, JsonDeserializer<? extends T> delegate) {
            super(type);
            this.delegate = delegate;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (T) context.handleUnexpectedToken(handledType(), parser);
            }
            return delegate.deserialize(parser, context);
        }
    }

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private EventCodec() {
    }

    /** The name an event type has in the {@code type} field. */
    public static String typeName(Class<? extends ArchiveEvent> type) {
        return type.getSimpleName();
    }

    public static byte[] encode(ArchiveEvent event) {
        try {
            return MAPPER.writeValueAsBytes(toTree(event));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(ArchiveEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    private static ObjectNode toTree(ArchiveEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put(TYPE_FIELD, typeName(event.getClass()));
        node.setAll((ObjectNode) MAPPER.valueToTree(event));
        return node;
    }

    /** Decodes any event; throws {@link EventDecodingException} for anything that is not a valid one. */
    public static ArchiveEvent decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON, "empty record: no event");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new EventDecodingException(EventDecodingException.Reason.TOO_LARGE,
                    "record of " + bytes.length + " bytes is larger than the " + MAX_EVENT_BYTES + " bytes an event may have");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON, null,
                    "not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON,
                    "not a JSON object: " + (tree == null ? "empty" : tree.getNodeType().name().toLowerCase()));
        }
        Class<? extends ArchiveEvent> type = typeOf(tree);
        checkVersion(tree);
        requireFields(tree, type, "");
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof EventValidationException invalid) {
                throw new EventDecodingException(invalid.reason(), invalid.field(), typeName(type) + ": " + invalid.getMessage(),
                        e);
            }
            throw new EventDecodingException(EventDecodingException.Reason.INVALID_FIELD, null,
                    typeName(type) + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new EventDecodingException(EventDecodingException.Reason.INVALID_FIELD, field,
                    typeName(type) + ": field " + field + " has the wrong type or value: " + firstLine(e.getOriginalMessage()), e);
        } catch (JacksonException e) {
            throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_JSON, null, firstLine(e.getMessage()), e);
        }
    }

    /** Decodes an event that must be of {@code expected} (the one event type a topic carries). */
    public static <T extends ArchiveEvent> T decode(byte[] bytes, Class<T> expected) {
        ArchiveEvent event = decode(bytes);
        if (!expected.isInstance(event)) {
            throw new EventDecodingException(EventDecodingException.Reason.UNEXPECTED_TYPE, TYPE_FIELD,
                    "expected " + typeName(expected) + " but got " + typeName(event.getClass()), null);
        }
        return expected.cast(event);
    }

    private static Class<? extends ArchiveEvent> typeOf(JsonNode tree) {
        JsonNode type = tree.get(TYPE_FIELD);
        if (type == null || !type.isTextual()) {
            throw new EventDecodingException(EventDecodingException.Reason.UNKNOWN_TYPE, TYPE_FIELD,
                    "missing field: type (the event's name)", null);
        }
        Class<? extends ArchiveEvent> cls = TYPES.get(type.textValue());
        if (cls == null) {
            throw new EventDecodingException(EventDecodingException.Reason.UNKNOWN_TYPE, TYPE_FIELD,
                    "unknown event type '" + abbreviate(type.textValue()) + "' (known: " + String.join(", ", TYPES.keySet()) + ")",
                    null);
        }
        return cls;
    }

    private static void checkVersion(JsonNode tree) {
        JsonNode version = tree.get(VERSION_FIELD);
        if (version == null || version.isNull()) {
            throw new EventDecodingException(EventDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION, VERSION_FIELD,
                    "missing field: schemaVersion", null);
        }
        if (!version.canConvertToExactIntegral() || !version.isIntegralNumber() || version.asLong() != SchemaVersion.CURRENT) {
            throw new EventDecodingException(EventDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION, VERSION_FIELD,
                    "schema version " + abbreviate(version.toString()) + " is not supported (this build reads "
                            + SchemaVersion.CURRENT + ")",
                    null);
        }
    }

    /** Every component of the record (and of nested records) must be present; nulls are judged by the constructor. */
    private static void requireFields(JsonNode node, Class<?> recordType, String prefix) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            String name = component.getName();
            JsonNode value = node.get(name);
            if (value == null && component.isAnnotationPresent(AddedLater.class)) {
                // written before the field existed: decoded as 0 (a number) or null (the record's constructor says what that means)
                if (component.getType().isPrimitive()) {
                    ((ObjectNode) node).put(name, 0);
                } else {
                    ((ObjectNode) node).putNull(name);
                }
                continue;
            }
            if (value == null || (value.isNull() && component.getType().isPrimitive())) {
                throw new EventDecodingException(EventDecodingException.Reason.MISSING_FIELD, prefix + name,
                        recordType.getSimpleName() + ": missing field: " + prefix + name, null);
            }
            if (component.getType().isRecord() && value.isObject()) {
                requireFields(value, component.getType(), prefix + name + ".");
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @SafeVarargs
    private static Map<String, Class<? extends ArchiveEvent>> types(Class<? extends ArchiveEvent>... classes) {
        Map<String, Class<? extends ArchiveEvent>> map = new LinkedHashMap<>();
        for (Class<? extends ArchiveEvent> cls : classes) {
            map.put(cls.getSimpleName(), cls);
        }
        return Collections.unmodifiableMap(map);
    }
}
