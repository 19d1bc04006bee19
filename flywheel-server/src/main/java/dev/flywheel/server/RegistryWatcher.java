package dev.flywheel.server;

import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.ml.Trainers;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link LiveModels} in step with the registry's {@code production} aliases. Another process
 * (a {@code flywheel run}) may promote at any time; the watcher polls the metadata store, loads a
 * new bundle beside the old one on its own thread, checks it (checksums, then a prediction), and
 * only then swaps it in. Requests never wait on a load, and a bundle that fails its checks is never
 * served: the old version stays.
 */
final class RegistryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

  private final MetadataStore metadata;
  private final ArtifactStore artifacts;
  private final LiveModels live;
  private final Consumer<ServedModel> onSwap;
  private final ServerMetrics metrics;
  private final ScheduledExecutorService executor;
  private final Set<String> failed = new HashSet<>();

  RegistryWatcher(
      MetadataStore metadata,
      ArtifactStore artifacts,
      LiveModels live,
      ServerMetrics metrics,
      Consumer<ServedModel> onSwap) {
    this.metrics = metrics;
    this.metadata = metadata;
    this.artifacts = artifacts;
    this.live = live;
    this.onSwap = onSwap;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flywheel-registry-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** Loads what is in production now, then keeps polling. */
  void start(Duration interval) {
    refresh();
    executor.scheduleWithFixedDelay(
        this::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // A busy or briefly unreachable store must not stop the watcher: try again next tick.
      LOG.warn("checking the registry failed: {}", e.getMessage());
    }
  }

  /** One pass: load every production version that is not served yet; drop demoted models. */
  synchronized void refresh() {
    Map<String, ModelVersion> production = new LinkedHashMap<>();
    for (ModelVersion v : metadata.aliased(MetadataStore.PRODUCTION)) {
      production.put(v.model(), v);
    }
    for (ModelVersion v : production.values()) {
      ServedModel current = live.get(v.model());
      String key = v.model() + "@" + v.version();
      if ((current == null || current.number() != v.version()) && !failed.contains(key)) {
        try {
          ServedModel loaded = load(v);
          live.put(loaded);
          onSwap.accept(loaded);
          LOG.info(
              "serving {} v{}{}",
              v.model(),
              v.version(),
              current == null ? "" : " (was v" + current.number() + ")");
        } catch (RuntimeException e) {
          failed.add(key);
          LOG.error(
              "not serving {} v{}: its bundle failed to load ({}); {}",
              v.model(),
              v.version(),
              e.getMessage(),
              current == null ? "the model is unavailable" : "v" + current.number() + " stays");
        }
      }
    }
    for (ServedModel m : List.copyOf(live.all())) {
      if (!production.containsKey(m.name())) {
        live.remove(m.name());
        LOG.info("{} has no production version any more; stopped serving it", m.name());
      }
    }
  }

  private ServedModel load(ModelVersion v) {
    ModelBundle bundle =
        BundleIO.read(
            artifacts.get(v.bundleKey()), artifacts.describe(v.bundleKey()), Trainers.LOADER);
    if (!bundle.manifest().name().equals(v.model())) {
      throw new IllegalStateException(
          "the bundle is for model '" + bundle.manifest().name() + "', not '" + v.model() + "'");
    }
    // A smoke prediction on a row of missing values (all imputed) proves the whole path works.
    Map<String, Object> row = new HashMap<>();
    for (InputField f : bundle.manifest().inputs()) {
      row.put(f.name(), null);
    }
    Predictions p = bundle.predict(List.of(row));
    if (p.size() != 1) {
      throw new IllegalStateException("a smoke prediction returned " + p.size() + " rows");
    }
    return new ServedModel(v, bundle, metrics.meters(v.model(), v.version()));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
