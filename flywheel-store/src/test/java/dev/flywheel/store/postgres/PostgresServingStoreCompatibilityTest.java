package dev.flywheel.store.postgres;

import dev.flywheel.store.ServingStoreCompatibilityKit;
import dev.flywheel.store.TestPostgres;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.util.Optional;

/** The serving store kit against PostgreSQL on 127.0.0.1:5432: a fresh schema per test. */
class PostgresServingStoreCompatibilityTest extends ServingStoreCompatibilityKit {

  private TestPostgres pg;

  @Override
  protected void createStorage() {
    pg = TestPostgres.create();
  }

  @Override
  protected Workdir open(Path dir) {
    return Workdir.open(dir, Optional.of(pg.url()));
  }

  @Override
  protected void dropStorage() {
    if (pg != null) {
      pg.close();
    }
  }
}
