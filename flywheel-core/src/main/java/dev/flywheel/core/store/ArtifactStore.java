package dev.flywheel.core.store;

/**
 * Bytes by key: bundles and dataset snapshots. The embedded implementation is a folder; S3 comes
 * later. A put is atomic: readers see the old object or the new one, never part of one.
 */
public interface ArtifactStore {

  /** Stores bytes under a key such as {@code models/churn/r-000001/bundle.zip}. */
  void put(String key, byte[] bytes);

  /** Reads the bytes under a key. */
  byte[] get(String key);

  boolean exists(String key);

  /**
   * Removes the object under a key, if there is one: a dataset snapshot replaced by a newer one.
   * Readers that opened it already may finish.
   */
  void delete(String key);

  /** Where a key lives, for messages, such as a file path. */
  String describe(String key);
}
