package dev.flywheel.store.postgres;

import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.MetadataStoreCompatibilityKit;
import dev.flywheel.store.TestPostgres;

/** The metadata store kit against PostgreSQL on 127.0.0.1:5432: a fresh schema per test. */
class PostgresMetadataStoreCompatibilityTest extends MetadataStoreCompatibilityKit {

  private TestPostgres pg;

  @Override
  protected void createStorage() {
    pg = TestPostgres.create();
  }

  @Override
  protected MetadataStore open() {
    return PostgresMetadataStore.open(pg.url());
  }

  @Override
  protected void dropStorage() {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  protected void makeSchemaNewer() throws Exception {
    pg.execute(
        "INSERT INTO flyway_schema_history(installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success)"
            + " VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, true)");
  }
}
