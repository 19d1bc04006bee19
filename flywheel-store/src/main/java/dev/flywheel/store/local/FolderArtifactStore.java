package dev.flywheel.store.local;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Artifacts as files under one folder. A put writes a temporary file beside the target, forces it
 * to disk, then renames it into place, so readers never see half an artifact.
 */
public final class FolderArtifactStore implements ArtifactStore {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  private final Path root;

  public FolderArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  private Path path(String key) {
    if (!KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("artifact key '" + key + "' is not a safe relative path");
    }
    return root.resolve(key);
  }

  @Override
  public void put(String key, byte[] bytes) {
    Path target = path(key);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
      try {
        try (var ch =
            java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
          ch.write(java.nio.ByteBuffer.wrap(bytes));
          ch.force(true);
        }
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] get(String key) {
    Path p = path(key);
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new InfrastructureException(
          "artifact " + p + " is missing. Was the workdir moved or cleaned?", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.exists(path(key));
  }

  @Override
  public void delete(String key) {
    Path p = path(key);
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new InfrastructureException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe(String key) {
    return path(key).toString();
  }
}
