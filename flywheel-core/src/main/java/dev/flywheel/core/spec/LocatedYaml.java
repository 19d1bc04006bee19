package dev.flywheel.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.flywheel.core.BadInputException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree, plus the line on which each node starts, keyed by JSON
 * pointer. Jackson's trees drop locations; error messages need them.
 */
final class LocatedYaml {

  /** YAML 1.2 booleans: only true/false, so a label such as {@code yes} stays text. */
  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS).build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final Map<String, Integer> lines;

  private LocatedYaml(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  JsonNode root() {
    return root;
  }

  /** The 1-based line of the node at {@code pointer}, or of its nearest located parent. */
  int line(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 1;
      }
      p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
    }
  }

  static LocatedYaml parse(String text, String sourceName) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedYaml(NODES.objectNode(), lines);
      }
      JsonNode root = read(parser, "", lines, sourceName);
      return new LocatedYaml(root, lines);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? sourceName : sourceName + ":" + loc.getLineNr();
      throw new BadInputException(
          where + ": not valid YAML: " + e.getOriginalMessage() + ". Fix the syntax there.", e);
    } catch (IOException e) {
      throw new BadInputException(sourceName + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(
      JsonParser parser, String pointer, Map<String, Integer> lines, String sourceName)
      throws IOException {
    lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = pointer + "/" + escape(key);
          int keyLine = parser.currentTokenLocation().getLineNr();
          if (object.has(key)) {
            throw new BadInputException(
                sourceName
                    + ":"
                    + keyLine
                    + ": key '"
                    + key
                    + "' appears twice. Keep one of them.");
          }
          lines.put(child, keyLine);
          parser.nextToken();
          object.set(key, read(parser, child, lines, sourceName));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, pointer + "/" + i++, lines, sourceName));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default ->
          throw new BadInputException(
              sourceName
                  + ":"
                  + parser.currentTokenLocation().getLineNr()
                  + ": unexpected YAML token "
                  + token);
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
