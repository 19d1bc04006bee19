package dev.flywheel.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a model predicts: a label from a finite set, or a number. */
public enum Task {
  CLASSIFICATION,
  REGRESSION;

  /** The name used in specs and JSON. */
  @JsonValue
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  static Task fromJson(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
