package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Union and join of several sources, read from real files through the {@link Collector}. */
class CombinerTest {

  @TempDir Path dir;

  private SourceSpec.Csv csv(String name, String text) throws Exception {
    return new SourceSpec.Csv(Files.writeString(dir.resolve(name), text));
  }

  private Frame combine(SourceSpec.Combine how, SourceSpec... sources) {
    return Collector.collect(new SourceSpec.Combined(List.of(sources), how), Map.of());
  }

  private static final SourceSpec.Combine UNION = new SourceSpec.Combine.Union();

  private static SourceSpec.Combine join(String key, SourceSpec.JoinType how) {
    return new SourceSpec.Combine.Join(key, how);
  }

  @Test
  void aUnionMatchesColumnsByNameAndLeavesAbsentOnesMissing() throws Exception {
    Frame f =
        combine(
            UNION,
            csv("a.csv", "id,amount,plan\n1,10.5,basic\n2,3,pro\n"),
            csv("b.csv", "plan,id,region\nplus,3,north\n"));

    assertThat(f.names()).containsExactly("id", "amount", "plan", "region");
    assertThat(((NumericColumn) f.column("id")).values()).containsExactly(1, 2, 3);
    NumericColumn amount = (NumericColumn) f.column("amount");
    assertThat(amount.get(1)).isEqualTo(3.0);
    assertThat(amount.isMissing(2)).isTrue();
    assertThat(((CategoricalColumn) f.column("plan")).values())
        .containsExactly("basic", "pro", "plus");
    assertThat(((CategoricalColumn) f.column("region")).values())
        .containsExactly(null, null, "north");
  }

  @Test
  void aColumnWithNoValuesInOneSourceTakesTheOtherSourcesType() throws Exception {
    Frame f =
        combine(UNION, csv("a.csv", "id,amount\n1,\n2,NA\n"), csv("b.csv", "id,amount\n3,7.5\n"));

    assertThat(f.column("amount")).isInstanceOf(NumericColumn.class);
    assertThat(((NumericColumn) f.column("amount")).get(2)).isEqualTo(7.5);
  }

  @Test
  void aUnionTypeConflictNamesBothSourcesAndAValue() throws Exception {
    SourceSpec a = csv("a.csv", "id,zip\n1,10115\n");
    SourceSpec b = csv("b.csv", "id,zip\n2,SW1A\n");

    assertThatThrownBy(() -> combine(UNION, a, b))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("column 'zip' is numeric in " + dir.resolve("a.csv"))
        .hasMessageContaining("but categorical in " + dir.resolve("b.csv"))
        .hasMessageContaining("'SW1A'");
  }

  @Test
  void anInnerJoinKeepsMatchedLeftRowsInLeftOrder() throws Exception {
    SourceSpec orders =
        csv("orders.csv", "order,customer_id,amount\n1,c2,10\n2,c1,20\n3,c9,5\n4,c2,7\n");
    SourceSpec customers = csv("customers.csv", "customer_id,plan\nc1,pro\nc2,basic\nc3,plus\n");

    Frame f = combine(join("customer_id", SourceSpec.JoinType.INNER), orders, customers);

    assertThat(f.names()).containsExactly("order", "customer_id", "amount", "plan");
    assertThat(((NumericColumn) f.column("order")).values()).containsExactly(1, 2, 4);
    assertThat(((CategoricalColumn) f.column("plan")).values())
        .containsExactly("basic", "pro", "basic");
  }

  @Test
  void aLeftJoinKeepsEveryLeftRowWithMissingValuesWhereNothingMatches() throws Exception {
    SourceSpec orders = csv("orders.csv", "order,customer_id\n1,c2\n2,\n3,c9\n");
    SourceSpec customers = csv("customers.csv", "customer_id,plan,score\nc2,basic,0.5\n");

    Frame f = combine(join("customer_id", SourceSpec.JoinType.LEFT), orders, customers);

    assertThat(f.rowCount()).isEqualTo(3);
    assertThat(((CategoricalColumn) f.column("plan")).values())
        .containsExactly("basic", null, null);
    NumericColumn score = (NumericColumn) f.column("score");
    assertThat(score.get(0)).isEqualTo(0.5);
    assertThat(score.isMissing(1)).isTrue(); // a missing key never matches
    assertThat(score.isMissing(2)).isTrue();
  }

  @Test
  void aMissingKeyColumnNamesTheSourceAndItsColumns() throws Exception {
    SourceSpec a = csv("a.csv", "customer_id,x\n1,2\n");
    SourceSpec b = csv("b.csv", "id,y\n1,2\n");

    assertThatThrownBy(() -> combine(join("customer_id", SourceSpec.JoinType.INNER), a, b))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("key column 'customer_id' is not a column of " + dir.resolve("b.csv"))
        .hasMessageContaining("its columns are id, y");
  }

  @Test
  void aDuplicateKeyOnTheRightNamesTheSourceTheKeyAndTheRows() throws Exception {
    SourceSpec a = csv("a.csv", "customer_id,x\nc1,2\n");
    SourceSpec b = csv("b.csv", "customer_id,y\nc1,2\nc7,3\nc7,4\n");

    assertThatThrownBy(() -> combine(join("customer_id", SourceSpec.JoinType.LEFT), a, b))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(
            "the key customer_id = 'c7' appears more than once in " + dir.resolve("b.csv"))
        .hasMessageContaining("rows 2 and 3");
  }

  @Test
  void aJoinRefusesAClashingColumnAndKeysOfDifferentTypes() throws Exception {
    SourceSpec a = csv("a.csv", "id,plan\n1,basic\n");
    SourceSpec b = csv("b.csv", "id,plan\n1,pro\n");
    SourceSpec c = csv("c.csv", "id,z\nx1,3\n");

    assertThatThrownBy(() -> combine(join("id", SourceSpec.JoinType.INNER), a, b))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("column 'plan' is in both");
    assertThatThrownBy(() -> combine(join("id", SourceSpec.JoinType.INNER), a, c))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("the key column 'id' is numeric in")
        .hasMessageContaining("but categorical in " + dir.resolve("c.csv"));
  }

  @Test
  void threeSourcesJoinLeftToRight() throws Exception {
    Frame f =
        combine(
            join("id", SourceSpec.JoinType.LEFT),
            csv("a.csv", "id,a\n1,x\n2,y\n"),
            csv("b.csv", "id,b\n2,5\n"),
            csv("c.csv", "id,c\n1,p\n2,q\n"));

    assertThat(f.names()).containsExactly("id", "a", "b", "c");
    assertThat(((CategoricalColumn) f.column("c")).values()).containsExactly("p", "q");
    assertThat(f.column("b").isMissing(0)).isTrue();
  }
}
