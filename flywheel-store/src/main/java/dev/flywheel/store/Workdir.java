package dev.flywheel.store;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.local.FolderArtifactStore;
import dev.flywheel.store.sqlite.SqliteMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Flywheel's home for one project (INTERFACES.md): {@code flywheel.db}, {@code artifacts/} and
 * {@code logs/}. Opening one creates what is missing. Close it to release the database.
 */
public final class Workdir implements AutoCloseable {

  /** The default, relative to the current directory. */
  public static final Path DEFAULT = Path.of(".flywheel");

  private final Path dir;
  private final MetadataStore metadata;
  private final ArtifactStore artifacts;

  private Workdir(Path dir, MetadataStore metadata, ArtifactStore artifacts) {
    this.dir = dir;
    this.metadata = metadata;
    this.artifacts = artifacts;
  }

  public static Workdir open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.resolve("artifacts"));
      Files.createDirectories(abs.resolve("logs"));
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create the workdir "
              + abs
              + ": "
              + e.getMessage()
              + ". Pass a writable --workdir.",
          e);
    }
    MetadataStore metadata = SqliteMetadataStore.open(abs.resolve("flywheel.db"));
    return new Workdir(abs, metadata, new FolderArtifactStore(abs.resolve("artifacts")));
  }

  public Path dir() {
    return dir;
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  public MetadataStore metadata() {
    return metadata;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  @Override
  public void close() {
    metadata.close();
  }
}
