package dev.flywheel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.store.postgres.PostgresStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

  private static final String SECRET =
      "jdbc:postgresql://db.example.com:6432/ml?user=fw&password=pw1";

  @Test
  void theOptionWinsOverTheEnvironmentAndNeitherMeansTheWorkdirFile() {
    Map<String, String> env = Map.of(StoreUrl.ENV, "jdbc:postgresql://from-env/db");

    assertThat(StoreUrl.resolve("jdbc:postgresql://from-option/db", env))
        .map(StoreUrl::host)
        .contains("from-option");
    assertThat(StoreUrl.resolve(null, env)).map(StoreUrl::host).contains("from-env");
    assertThat(StoreUrl.resolve(" ", Map.of(StoreUrl.ENV, ""))).isEmpty();
    assertThat(StoreUrl.resolve(null, Map.of())).isEmpty();
  }

  @Test
  void printsNeitherQueryParametersNorUserInfo() {
    StoreUrl url = new StoreUrl(SECRET);

    assertThat(url.host()).isEqualTo("db.example.com:6432");
    assertThat(url.redacted()).isEqualTo("'jdbc:postgresql://db.example.com:6432/ml'");
    assertThat(url.toString()).doesNotContain("pw1");
  }

  @Test
  void refusesAnotherKindOfUrlWithoutPrintingItsPassword() {
    assertThatThrownBy(() -> new StoreUrl("jdbc:mysql://root:pw1@h/db?password=pw1"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'jdbc:mysql://h/db'")
        .hasMessageContaining("jdbc:postgresql://HOST[:PORT]/DATABASE")
        .hasMessageNotContaining("pw1");
    assertThatThrownBy(() -> new StoreUrl("jdbc:postgresql:///db"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("names no host");
  }

  @Test
  void anUnreachableStoreIsAnInfrastructureErrorNamingTheHost() {
    StoreUrl closed =
        new StoreUrl("jdbc:postgresql://127.0.0.1:1/test?user=fw&password=pw1&connectTimeout=2");

    assertThatThrownBy(() -> PostgresStore.open(closed))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("cannot reach the PostgreSQL store at 127.0.0.1:1")
        .hasMessageContaining("'jdbc:postgresql://127.0.0.1:1/test'")
        .hasMessageNotContaining("pw1");
  }
}
