package dev.flywheel.core.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTest {

  private static final Map<String, ValueType> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("a", ValueType.NUMBER);
    COLUMNS.put("b", ValueType.NUMBER);
    COLUMNS.put("c", ValueType.NUMBER);
    COLUMNS.put("income", ValueType.NUMBER);
    COLUMNS.put("household", ValueType.NUMBER);
    COLUMNS.put("country", ValueType.TEXT);
    COLUMNS.put("plan type", ValueType.TEXT);
  }

  private static final Map<String, Object> ROW = new HashMap<>();

  static {
    ROW.put("a", 2.0);
    ROW.put("b", 3);
    ROW.put("c", -4.5f);
    ROW.put("income", 90_000L);
    ROW.put("household", 0);
    ROW.put("country", "US");
    ROW.put("plan type", "pro");
  }

  private static Object eval(String text) {
    return eval(text, ROW);
  }

  private static Object eval(String text, Map<String, ?> row) {
    return Expression.parse(text).bind(COLUMNS).evaluate(row::get);
  }

  private static double num(String text) {
    return Expression.parse(text).bind(COLUMNS).number(ROW::get);
  }

  // ---- grammar and precedence ----

  @Test
  void evaluatesArithmeticWithUsualPrecedence() {
    assertThat(num("1 + 2 * 3")).isEqualTo(7.0);
    assertThat(num("(1 + 2) * 3")).isEqualTo(9.0);
    assertThat(num("10 - 4 - 3")).as("left associative").isEqualTo(3.0);
    assertThat(num("64 / 4 / 2")).as("left associative").isEqualTo(8.0);
    assertThat(num("7 % 4 * 2")).isEqualTo(6.0);
    assertThat(num("-a * b")).isEqualTo(-6.0);
    assertThat(num("- - a")).isEqualTo(2.0);
    assertThat(num("+a")).isEqualTo(2.0);
    assertThat(num("a - -b")).isEqualTo(5.0);
    assertThat(num("2 * -3 + 1")).isEqualTo(-5.0);
    assertThat(num("-7 % 3")).as("remainder takes the left operand's sign").isEqualTo(-1.0);
  }

  @Test
  void readsNumberLiteralsInEveryForm() {
    assertThat(num("42")).isEqualTo(42.0);
    assertThat(num("0.25")).isEqualTo(0.25);
    assertThat(num("1e3")).isEqualTo(1000.0);
    assertThat(num("2.5E-2")).isEqualTo(0.025);
    assertThat(num("1e+2")).isEqualTo(100.0);
  }

  @Test
  void readsColumnsOfEveryNumberTypeAndQuotedNames() {
    assertThat(num("a + b + c")).isEqualTo(2.0 + 3 - 4.5);
    assertThat(num("income / 1000")).isEqualTo(90.0);
    assertThat(eval("`plan type` == 'pro'")).isEqualTo(true);
  }

  @Test
  void comparisonsBindLooserThanArithmeticAndTighterThanLogic() {
    assertThat(eval("a + 1 > b - 1")).isEqualTo(true);
    assertThat(eval("a > 1 and b > 5 or c < 0")).isEqualTo(true);
    assertThat(eval("a > 1 and (b > 5 or c > 0)")).isEqualTo(false);
    assertThat(eval("not a > 1")).isEqualTo(false);
    assertThat(eval("not not a > 1")).isEqualTo(true);
    assertThat(eval("a > 1 && !(b == 3) || false")).isEqualTo(false);
    assertThat(eval("a == 2 and b != 2 and a <= 2 and a >= 2 and a < 2.5")).isEqualTo(true);
  }

  @Test
  void andBindsTighterThanOr() {
    // true or (false and false) = true; (true or false) and false would be false.
    assertThat(eval("true or false and false")).isEqualTo(true);
  }

  @Test
  void comparesTextWithQuotedLiteralsInEitherQuote() {
    assertThat(eval("country == 'US'")).isEqualTo(true);
    assertThat(eval("country == \"US\"")).isEqualTo(true);
    assertThat(eval("country != 'US'")).isEqualTo(false);
    assertThat(eval("'it''s' == \"it's\"")).as("a doubled quote is one quote").isEqualTo(true);
  }

  @Test
  void choosesWithTernaryAndIfAndTheyNest() {
    assertThat(num("a > 1 ? 10 : 20")).isEqualTo(10.0);
    assertThat(num("if(a > 5, 10, 20)")).isEqualTo(20.0);
    assertThat(num("a > 5 ? 1 : b > 2 ? 2 : 3")).as("right associative").isEqualTo(2.0);
    assertThat(eval("country == 'US' ? 'domestic' : 'abroad'")).isEqualTo("domestic");
    assertThat(num("(a > 1 ? 10 : 20) + 1")).isEqualTo(11.0);
  }

  @Test
  void callsTheFunctionTable() {
    assertThat(num("log(exp(2))")).isEqualTo(2.0);
    assertThat(num("sqrt(16) + abs(c)")).isEqualTo(4.0 + 4.5);
    assertThat(num("min(a, b, 1)")).isEqualTo(1.0);
    assertThat(num("max(a, b)")).isEqualTo(3.0);
    assertThat(num("pow(a, 10)")).isEqualTo(1024.0);
    assertThat(num("log10(1000)")).isEqualTo(3.0);
    assertThat(num("log1p(0)")).isEqualTo(0.0);
    assertThat(num("floor(c) + ceil(c)")).isEqualTo(-5.0 + -4.0);
    assertThat(num("round(2.5) + round(-2.5) + round(0.4)")).isEqualTo(3.0 - 3.0 + 0.0);
    assertThat(num("sign(c)")).isEqualTo(-1.0);
    assertThat(num("income / max(household, 1)")).isEqualTo(90_000.0);
    assertThat(num("LOG(1)")).as("function names ignore case").isEqualTo(0.0);
  }

  @Test
  void ratioIsSafeDivisionWhileSlashByZeroIsMissing() {
    assertThat(num("ratio(a, b)")).isEqualTo(2.0 / 3.0);
    assertThat(num("ratio(income, household)")).isEqualTo(0.0);
    assertThat(eval("income / household")).isNull();
    assertThat(num("income / household")).isNaN();
    assertThat(eval("a % 0")).isNull();
    assertThat(eval("log(0)")).as("not finite is missing").isNull();
    assertThat(eval("sqrt(c)")).as("NaN is missing").isNull();
    assertThat(eval("exp(1000)")).as("overflow is missing").isNull();
  }

  @Test
  void booleansBecomeOneAndZeroWhereNumbersAreNeeded() {
    assertThat(num("(a > 1) * 10 + (b > 10)")).isEqualTo(10.0);
    assertThat(num("a > 1")).isEqualTo(1.0);
    assertThat(Expression.parse("a > 1").bind(COLUMNS).type()).isEqualTo(ValueType.BOOLEAN);
    assertThat(Expression.parse("a > 1 ? 1 : a").bind(COLUMNS).type()).isEqualTo(ValueType.NUMBER);
  }

  // ---- missing values ----

  @Test
  void missingValuesPropagateThroughArithmeticComparisonsAndFunctions() {
    Map<String, Object> row = new HashMap<>(ROW);
    row.put("a", null);
    row.put("b", Double.NaN);
    row.remove("country");

    assertThat(eval("a + 1", row)).isNull();
    assertThat(eval("b * 0", row)).as("NaN is missing").isNull();
    assertThat(eval("a > 1", row)).isNull();
    assertThat(eval("country == 'US'", row)).as("an absent name is missing").isNull();
    assertThat(eval("max(a, 5)", row)).isNull();
    assertThat(eval("ratio(a, 2)", row)).isNull();
    assertThat(eval("is_missing(a) and is_missing(country) and not is_missing(c)", row))
        .isEqualTo(true);
    assertThat(eval("coalesce(a, b, c, 7)", row)).isEqualTo(-4.5);
    assertThat(eval("coalesce(country, 'unknown')", row)).isEqualTo("unknown");
  }

  @Test
  void logicUsesThreeValuedRulesAndAMissingConditionTakesTheElseBranch() {
    Map<String, Object> row = new HashMap<>(ROW);
    row.put("a", null);

    assertThat(eval("a > 1 and false", row)).isEqualTo(false);
    assertThat(eval("false and a > 1", row)).isEqualTo(false);
    assertThat(eval("a > 1 and true", row)).isNull();
    assertThat(eval("a > 1 or true", row)).isEqualTo(true);
    assertThat(eval("a > 1 or false", row)).isNull();
    assertThat(eval("not a > 1", row)).isNull();
    assertThat(eval("a > 1 ? 1 : 2", row)).isEqualTo(2.0);
    assertThat(Expression.parse("a > 1").bind(COLUMNS).test(row::get))
        .as("a filter keeps only rows where the condition is true")
        .isFalse();
  }

  @Test
  void aTextColumnHoldingAnyObjectIsReadAsText() {
    Map<String, Object> row = new HashMap<>(ROW);
    row.put("a", "not a number");

    assertThat(eval("a + 1", row)).as("a number column with text at run time is missing").isNull();
  }

  @Test
  void listsTheColumnsItReadsInOrder() {
    assertThat(Expression.parse("b + a * b - `plan type` == 'x' ? c : a").columns())
        .containsExactly("b", "a", "plan type", "c");
  }

  // ---- errors, with positions ----

  private static void rejects(String text, String... fragments) {
    assertThatThrownBy(() -> Expression.parse(text).bind(COLUMNS))
        .isInstanceOf(BadInputException.class)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void reportsAMissingValueWithItsColumn() {
    rejects("a +* b", "expression 'a +* b' at column 4: expected a value");
    rejects("a +", "at column 4: expected a value, found the end");
    rejects("", "empty");
    rejects("(a + b", "at column 7: expected ')' to close the '(', found the end");
    rejects("a + b)", "at column 6: unexpected ')'; expected an operator or the end");
    rejects("max(a b)", "at column 7: expected ',' or ')' in the call of max(…), found 'b'");
    rejects("a ? 1", "at column 6: expected ':'");
    rejects("and a", "at column 1: expected a value, found the operator 'and'");
    rejects("1 < a < 3", "at column 7: comparisons do not chain");
  }

  @Test
  void reportsLexicalErrorsWithTheirColumn() {
    rejects("a = 1", "at column 3: '=' is not an operator; compare with ==");
    rejects("a & b", "at column 3: '&' is not an operator; use 'and'");
    rejects("a | b", "at column 3: '|' is not an operator; use 'or'");
    rejects("country == 'US", "at column 12: the text starting here is not closed");
    rejects("`plan type == 'x'", "at column 1: the column name in backticks is not closed");
    rejects("a $ b", "at column 3: unexpected character '$'");
    rejects("2a", "at column 2: a number cannot run into a name");
    rejects(".5", "at column 1: '.' is not allowed");
    rejects("1e999", "too large");
  }

  @Test
  void reportsUnknownColumnsWithASuggestionAndTheKnownColumns() {
    rejects(
        "incme / 2",
        "at column 1: unknown column 'incme' (did you mean 'income'?)",
        "only these columns: a, b, c, income, household, country, plan type");
    rejects("log + 1", "unknown column 'log'", "log is a function: call it with parentheses");
  }

  @Test
  void reportsTypeErrorsWithTheirColumn() {
    rejects("country + 1", "at column 1: '+' needs a number, found text (column 'country'");
    rejects("country == 1", "at column 9: '==' compares text with a number", "'country' holds");
    rejects("a > 'x'", "at column 5: '>' needs a number, found text");
    rejects("a and b > 1", "at column 1: 'and' needs true/false, found a number");
    rejects("not a", "at column 5: not needs true/false");
    rejects("a ? 1 : 2", "the condition of '?' needs true/false");
    rejects("a > 1 ? 'x' : 2", "at column 15: '?' mixes text and numbers");
    rejects("sqrt(country)", "sqrt(…) needs a number, found text");
    rejects("-country", "unary '-' needs a number");
  }

  @Test
  void reportsWrongArgumentCounts() {
    rejects("log(a, b)", "at column 1: log(…) takes 1 argument, found 2");
    rejects("pow(a)", "pow(…) takes 2 arguments, found 1");
    rejects("max(a)", "max(…) takes at least 2 arguments, found 1");
    rejects("if(a > 1, 2)", "if(…) takes 3 arguments, found 2");
    rejects("is_missing()", "is_missing(…) takes 1 argument, found 0");
  }

  @Test
  void refusesTooLongAndTooDeepExpressions() {
    rejects("1 + ".repeat(600) + "1", "characters long; the limit is 2000");
    rejects("(".repeat(100) + "1" + ")".repeat(100), "nests deeper than 64 levels");
    rejects("-".repeat(100) + "1", "nests deeper than 64 levels");
    rejects("not ".repeat(100) + "true", "nests deeper than 64 levels");
    assertThat(num("(".repeat(30) + "1" + ")".repeat(30))).isEqualTo(1.0);
  }
}
