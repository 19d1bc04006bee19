package dev.flywheel.core.bundle;

import java.util.List;

/**
 * One column of a model's input signature: what a caller must send.
 *
 * @param name the column
 * @param type {@code numeric} or {@code categorical}
 * @param categories for categorical inputs, the categories seen in training; empty otherwise
 */
public record InputField(String name, String type, List<String> categories) {

  public InputField {
    categories = List.copyOf(categories);
  }
}
