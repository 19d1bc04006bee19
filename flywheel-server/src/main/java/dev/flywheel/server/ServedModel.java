package dev.flywheel.server;

import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.store.ModelVersion;
import java.util.List;

/**
 * One model version loaded and checked, ready to answer requests. Immutable: a promotion swaps in a
 * new instance, so a request that started on the old version finishes on it.
 */
record ServedModel(ModelVersion version, ModelBundle bundle) {

  String name() {
    return version.model();
  }

  int number() {
    return version.version();
  }

  List<InputField> inputs() {
    return bundle.manifest().inputs();
  }

  boolean classifier() {
    return !bundle.manifest().classes().isEmpty();
  }
}
