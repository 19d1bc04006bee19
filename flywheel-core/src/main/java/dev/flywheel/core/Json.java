package dev.flywheel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.time.Instant;

/**
 * The one Jackson configuration Flywheel writes its JSON with: snake-case field names, stable,
 * readable, strict about unknown fields, with {@link Instant}s as ISO-8601 text ({@link
 * JsonInstant}).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          // Every JSON contract in INTERFACES.md is snake case; records map onto it.
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          // Instants as ISO-8601 text everywhere, without a java.time module or per-field
          // annotations.
          .addModule(
              new SimpleModule("flywheel-instant")
                  .addSerializer(Instant.class, new JsonInstant.Serializer())
                  .addDeserializer(Instant.class, new JsonInstant.Deserializer()))
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
