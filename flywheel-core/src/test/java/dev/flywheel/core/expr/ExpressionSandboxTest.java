package dev.flywheel.core.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the sandbox: an expression can read the row it is given and nothing else. Attempts at Java
 * classes, reflection, files, processes and the network all fail to parse or bind, with a clear
 * message, and evaluation of any accepted expression touches only the row lookup.
 */
class ExpressionSandboxTest {

  /** Columns that invite confusion: names that are also Java identifiers. */
  private static final Map<String, ValueType> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("x", ValueType.NUMBER);
    COLUMNS.put("name", ValueType.TEXT);
  }

  @TempDir Path dir;

  static List<String> attacks(Path victim) {
    String file = victim.toString().replace("\\", "/");
    return List.of(
        "java.lang.Runtime",
        "java.lang.Runtime.getRuntime().exec('touch " + file + "')",
        "Runtime.getRuntime()",
        "''.getClass()",
        "'x'.getClass().forName('java.lang.System')",
        "name.getClass()",
        "x.toString()",
        "new File('" + file + "')",
        "new java.io.File('" + file + "').delete()",
        "System.exit(0)",
        "exit(0)",
        "T(java.lang.System).exit(0)",
        "T(java.lang.Runtime)",
        "#{T(java.lang.Runtime).getRuntime()}",
        "${jndi:ldap://127.0.0.1:1/a}",
        "@java.lang.Math@max(1,2)",
        "Class.forName('java.lang.Runtime')",
        "getClass()",
        "exec('rm -rf " + file + "')",
        "load('" + file + "')",
        "read('" + file + "')",
        "url('http://127.0.0.1:1/')",
        "import java.io",
        "x = 1",
        "x; System.exit(0)",
        "[1, 2]",
        "{'a': 1}",
        "x -> x",
        "this",
        "this.x",
        "class",
        "__proto__",
        "eval('1')",
        "script('1')",
        "invoke(x)",
        "size(name)",
        "name[0]",
        "'\\u0000'.getBytes()",
        "(x).class");
  }

  @Test
  void everyAttemptToReachJavaFilesOrTheNetworkFailsToParseOrBindWithAClearError()
      throws Exception {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "still here");
    for (String attack : attacks(victim)) {
      assertThatThrownBy(() -> Expression.parse(attack).bind(COLUMNS))
          .as(attack)
          .isInstanceOf(BadInputException.class)
          .hasMessageStartingWith("expression '")
          .hasMessageMatching("(?s)expression '.*' at column \\d+: .+");
    }
    assertThat(victim).exists().hasContent("still here");
    assertThat(dir.resolve("victim.txt.new")).doesNotExist();
  }

  @Test
  void namesThatLookLikeJavaAreOnlyColumnNamesOrUnknownColumns() {
    assertThatThrownBy(() -> Expression.parse("System").bind(COLUMNS))
        .hasMessageContaining("unknown column 'System'")
        .hasMessageContaining("an expression can read only these columns: x, name");
    assertThatThrownBy(() -> Expression.parse("Runtime").bind(COLUMNS))
        .hasMessageContaining("unknown column 'Runtime'");
    assertThatThrownBy(() -> Expression.parse("getRuntime()").bind(COLUMNS))
        .hasMessageContaining("unknown function 'getruntime'")
        .hasMessageContaining("no access to Java classes, methods, files or the network");
    assertThatThrownBy(() -> Expression.parse("x.y").bind(COLUMNS))
        .hasMessageContaining("at column 2: '.' is not allowed: expressions have no member access");
  }

  @Test
  void aColumnNamedLikeAJavaClassIsReadAsItsValueAndNothingMore() {
    Map<String, ValueType> cols = Map.of("System", ValueType.TEXT);
    BoundExpression e = Expression.parse("System == 'exit'").bind(cols);

    assertThat(e.test(Map.of("System", "exit")::get)).isTrue();
    assertThat(e.test(Map.of("System", "java.lang.System")::get)).isFalse();
  }

  @Test
  void textValuesAreDataNeverCode() {
    // A row value that looks like code is compared as text; nothing interprets it.
    BoundExpression e = Expression.parse("name == 'a'").bind(COLUMNS);
    Map<String, Object> row = new HashMap<>();
    row.put("name", "T(java.lang.Runtime).getRuntime().exec('true')");

    assertThat(e.evaluate(row::get)).isEqualTo(false);
  }

  @Test
  void evaluationReadsOnlyTheRowLookupAndOnlyTheNamedColumns() {
    BoundExpression e =
        Expression.parse("if(name == 'a', log(x + 1), coalesce(x, 0) * 2) > 0").bind(COLUMNS);
    List<String> asked = new ArrayList<>();
    Function<String, Object> row =
        k -> {
          asked.add(k);
          return k.equals("x") ? (Object) 3.0 : "b";
        };

    assertThat(e.evaluate(row)).isEqualTo(true);
    assertThat(asked).containsOnly("x", "name");
  }

  @Test
  void theFunctionTableHoldsOnlyPureMathAndMissingValueHelpers() {
    assertThat(Functions.names())
        .containsExactlyInAnyOrder(
            "abs",
            "ceil",
            "coalesce",
            "exp",
            "floor",
            "if",
            "is_missing",
            "log",
            "log10",
            "log1p",
            "max",
            "min",
            "pow",
            "ratio",
            "round",
            "sign",
            "sqrt");
  }
}
