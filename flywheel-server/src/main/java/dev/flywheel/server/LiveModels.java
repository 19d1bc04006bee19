package dev.flywheel.server;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The models being served, by name. Reads are one volatile load; a swap replaces the whole
 * immutable map, so a request sees one consistent set of versions.
 */
final class LiveModels {

  private final AtomicReference<Map<String, ServedModel>> current = new AtomicReference<>(Map.of());

  ServedModel get(String name) {
    return current.get().get(name);
  }

  Collection<ServedModel> all() {
    return current.get().values();
  }

  void put(ServedModel model) {
    current.updateAndGet(
        m -> {
          Map<String, ServedModel> next = new HashMap<>(m);
          next.put(model.name(), model);
          return Map.copyOf(next);
        });
  }

  void remove(String name) {
    current.updateAndGet(
        m -> {
          Map<String, ServedModel> next = new HashMap<>(m);
          next.remove(name);
          return Map.copyOf(next);
        });
  }
}
