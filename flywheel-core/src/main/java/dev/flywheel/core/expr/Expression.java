package dev.flywheel.core.expr;

import dev.flywheel.core.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed expression such as {@code income / max(household, 1)} or {@code country == 'US'}: its
 * syntax is checked, its columns are known, but their types are not yet. {@link #bind} checks the
 * types against a table of columns and gives a {@link BoundExpression} that evaluates rows.
 *
 * <p>The language is Flywheel's own (docs/spec.md, "Expressions"): numbers, text in single or
 * double quotes, {@code true}/{@code false}, column names (in backticks when they are not plain
 * identifiers), {@code + - * / %}, unary minus, comparisons, {@code and or not} (or {@code && ||
 * !}), {@code c ? a : b}, parentheses, and calls to the fixed function table of {@link Functions}.
 * There is no member access, no method call, no assignment, no loop and no way to name a Java
 * class: an expression can only read the row it is given. Parsing is recursive descent with a depth
 * limit, so hostile text cannot overflow the stack either.
 *
 * <p>Errors name the expression, the 1-based column and what was expected: {@code expression 'a +*
 * b' at column 4: expected a value}.
 */
public final class Expression {

  /** Longer texts are refused: an expression is a formula, not a program. */
  public static final int MAX_LENGTH = 2_000;

  /** Deeper nesting is refused, so parsing and evaluation cannot overflow the stack. */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private final Node root;
  private final List<String> columns;

  private Expression(String text, Node root, List<String> columns) {
    this.text = text;
    this.root = root;
    this.columns = columns;
  }

  /**
   * Parses and checks the syntax of {@code text}.
   *
   * @throws BadInputException naming the column of the first problem
   */
  public static Expression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new BadInputException("an expression is empty; write a formula such as 'a / b'");
    }
    if (text.length() > MAX_LENGTH) {
      throw new BadInputException(
          "expression '"
              + text.substring(0, 40)
              + "…' is "
              + text.length()
              + " characters long; the limit is "
              + MAX_LENGTH);
    }
    Parser p = new Parser(text, new Lexer(text).tokens());
    Node root = p.expression(0);
    p.expectEnd();
    Set<String> cols = new LinkedHashSet<>();
    collect(root, cols);
    return new Expression(text, root, List.copyOf(cols));
  }

  private static void collect(Node n, Set<String> out) {
    switch (n) {
      case Node.Column c -> out.add(c.name());
      case Node.Unary u -> collect(u.operand(), out);
      case Node.Binary b -> {
        collect(b.left(), out);
        collect(b.right(), out);
      }
      case Node.Call c -> c.args().forEach(a -> collect(a, out));
      case Node.Conditional c -> {
        collect(c.condition(), out);
        collect(c.then(), out);
        collect(c.otherwise(), out);
      }
      case Node.Literal l -> {}
    }
  }

  /** The text as written. */
  public String text() {
    return text;
  }

  /** The columns the expression reads, in order of first appearance. */
  public List<String> columns() {
    return columns;
  }

  /**
   * Checks names and types against {@code columnTypes} and returns the evaluable form.
   *
   * @param columnTypes the columns a row holds and their types; iteration order is used in error
   *     messages
   * @throws BadInputException for an unknown column or function, or a type mismatch, naming the
   *     column of the text where it is
   */
  public BoundExpression bind(java.util.Map<String, ValueType> columnTypes) {
    Binder.Typed typed = new Binder(this, columnTypes).bind(root);
    return new BoundExpression(this, typed.type(), typed.eval());
  }

  BadInputException error(int pos, String message) {
    return error(text, pos, message);
  }

  static BadInputException error(String text, int pos, String message) {
    return new BadInputException(
        "expression '" + text + "' at column " + (pos + 1) + ": " + message);
  }

  @Override
  public String toString() {
    return text;
  }

  // ---- syntax tree ----

  /** A node of the syntax tree; {@code pos} is its 0-based offset in the text. */
  sealed interface Node {
    int pos();

    record Literal(Object value, int pos) implements Node {}

    record Column(String name, int pos) implements Node {}

    record Unary(String op, Node operand, int pos) implements Node {}

    record Binary(String op, Node left, Node right, int pos) implements Node {}

    record Call(String name, List<Node> args, int pos) implements Node {
      public Call {
        args = List.copyOf(args);
      }
    }

    record Conditional(Node condition, Node then, Node otherwise, int pos) implements Node {}
  }

  // ---- lexer ----

  enum Kind {
    NUMBER,
    TEXT,
    NAME,
    QUOTED_NAME,
    SYMBOL,
    END
  }

  record Token(Kind kind, String text, Object value, int pos) {
    boolean is(String symbolOrKeyword) {
      return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(symbolOrKeyword);
    }

    String describe() {
      return switch (kind) {
        case END -> "the end";
        case TEXT -> "the text " + text;
        default -> "'" + text + "'";
      };
    }
  }

  private static final List<String> SYMBOLS =
      List.of(
          "==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "?",
          ":", "!");

  static final class Lexer {
    private final String s;
    private int i;

    Lexer(String s) {
      this.s = s;
    }

    List<Token> tokens() {
      List<Token> out = new ArrayList<>();
      while (true) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        if (i >= s.length()) {
          out.add(new Token(Kind.END, "", null, i));
          return out;
        }
        out.add(next());
      }
    }

    private Token next() {
      int start = i;
      char c = s.charAt(i);
      if (Character.isDigit(c)) {
        return number(start);
      }
      if (c == '_' || Character.isLetter(c)) {
        while (i < s.length() && (s.charAt(i) == '_' || Character.isLetterOrDigit(s.charAt(i)))) {
          i++;
        }
        return new Token(Kind.NAME, s.substring(start, i), null, start);
      }
      if (c == '\'' || c == '"') {
        return text(start, c);
      }
      if (c == '`') {
        int end = s.indexOf('`', i + 1);
        if (end < 0) {
          throw error(s, start, "the column name in backticks is not closed; add a closing `");
        }
        if (end == i + 1) {
          throw error(s, start, "empty column name ``");
        }
        i = end + 1;
        return new Token(Kind.QUOTED_NAME, s.substring(start + 1, end), null, start);
      }
      for (String sym : SYMBOLS) {
        if (s.startsWith(sym, i)) {
          i += sym.length();
          return new Token(Kind.SYMBOL, sym, null, start);
        }
      }
      throw error(s, start, unexpected(c));
    }

    private static String unexpected(char c) {
      return switch (c) {
        case '.' ->
            "'.' is not allowed: expressions have no member access or method calls, and"
                + " decimals need a leading digit (0.5); a column name with dots goes in"
                + " backticks, e.g. `a.b`";
        case '=' -> "'=' is not an operator; compare with ==";
        case '&' -> "'&' is not an operator; use 'and' (or &&)";
        case '|' -> "'|' is not an operator; use 'or' (or ||)";
        default ->
            "unexpected character '"
                + c
                + "'; expressions hold numbers, 'text', column names, operators + - * / %"
                + " == != < <= > >= and or not ? :, parentheses and function calls";
      };
    }

    private Token number(int start) {
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i + 1 < s.length() && s.charAt(i) == '.' && Character.isDigit(s.charAt(i + 1))) {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        int save = i;
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i < s.length() && Character.isDigit(s.charAt(i))) {
          while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
          }
        } else {
          i = save;
        }
      }
      if (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
        throw error(
            s,
            i,
            "a number cannot run into a name; put an operator between them, or write the column"
                + " name in backticks");
      }
      String t = s.substring(start, i);
      double v = Double.parseDouble(t);
      if (Double.isInfinite(v)) {
        throw error(s, start, "the number " + t + " is too large for a double");
      }
      return new Token(Kind.NUMBER, t, v, start);
    }

    private Token text(int start, char quote) {
      StringBuilder sb = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) {
          throw error(
              s, start, "the text starting here is not closed; add a closing " + quote + "");
        }
        char c = s.charAt(i);
        if (c == quote) {
          // A doubled quote stands for one, as in SQL: 'it''s'.
          if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
            sb.append(quote);
            i += 2;
            continue;
          }
          i++;
          return new Token(Kind.TEXT, s.substring(start, i), sb.toString(), start);
        }
        sb.append(c);
        i++;
      }
    }
  }

  // ---- parser ----

  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "true", "false");

  static final class Parser {
    private final String text;
    private final List<Token> tokens;
    private int at;

    Parser(String text, List<Token> tokens) {
      this.text = text;
      this.tokens = tokens;
    }

    private Token peek() {
      return tokens.get(at);
    }

    private Token take() {
      return tokens.get(at++);
    }

    private void depth(int depth, Token t) {
      if (depth > MAX_DEPTH) {
        throw error(text, t.pos(), "the expression nests deeper than " + MAX_DEPTH + " levels");
      }
    }

    void expectEnd() {
      Token t = peek();
      if (t.kind() != Kind.END) {
        throw error(
            text,
            t.pos(),
            "unexpected "
                + t.describe()
                + "; expected an operator or the end"
                + (t.kind() == Kind.NAME || t.kind() == Kind.QUOTED_NAME
                    ? " (two names in a row; there is no 'new', no statement and no method call)"
                    : ""));
      }
    }

    /** ternary := or ('?' ternary ':' ternary)? */
    Node expression(int depth) {
      depth(depth, peek());
      Node c = or(depth);
      if (peek().is("?")) {
        Token q = take();
        Node a = expression(depth + 1);
        if (!peek().is(":")) {
          throw error(
              text,
              peek().pos(),
              "expected ':' after the value for true of '?', found " + peek().describe());
        }
        take();
        Node b = expression(depth + 1);
        return new Node.Conditional(c, a, b, q.pos());
      }
      return c;
    }

    private Node or(int depth) {
      Node l = and(depth);
      while (peek().is("or") || peek().is("||")) {
        Token op = take();
        l = new Node.Binary("or", l, and(depth), op.pos());
      }
      return l;
    }

    private Node and(int depth) {
      Node l = not(depth);
      while (peek().is("and") || peek().is("&&")) {
        Token op = take();
        l = new Node.Binary("and", l, not(depth), op.pos());
      }
      return l;
    }

    private Node not(int depth) {
      if (peek().is("not") || peek().is("!")) {
        Token op = take();
        depth(depth + 1, op);
        return new Node.Unary("not", not(depth + 1), op.pos());
      }
      return comparison(depth);
    }

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private Node comparison(int depth) {
      Node l = additive(depth);
      if (peek().kind() == Kind.SYMBOL && COMPARISONS.contains(peek().text())) {
        Token op = take();
        Node r = additive(depth);
        if (peek().kind() == Kind.SYMBOL && COMPARISONS.contains(peek().text())) {
          throw error(
              text,
              peek().pos(),
              "comparisons do not chain; write a < b and b < c instead of a < b < c");
        }
        return new Node.Binary(op.text(), l, r, op.pos());
      }
      return l;
    }

    private Node additive(int depth) {
      Node l = multiplicative(depth);
      while (peek().is("+") || peek().is("-")) {
        Token op = take();
        l = new Node.Binary(op.text(), l, multiplicative(depth), op.pos());
      }
      return l;
    }

    private Node multiplicative(int depth) {
      Node l = unary(depth);
      while (peek().is("*") || peek().is("/") || peek().is("%")) {
        Token op = take();
        l = new Node.Binary(op.text(), l, unary(depth), op.pos());
      }
      return l;
    }

    private Node unary(int depth) {
      if (peek().is("-")) {
        Token op = take();
        depth(depth + 1, op);
        return new Node.Unary("-", unary(depth + 1), op.pos());
      }
      if (peek().is("+")) {
        Token op = take();
        depth(depth + 1, op);
        return unary(depth + 1);
      }
      return primary(depth);
    }

    private Node primary(int depth) {
      Token t = take();
      switch (t.kind()) {
        case NUMBER, TEXT -> {
          return new Node.Literal(t.value(), t.pos());
        }
        case QUOTED_NAME -> {
          return new Node.Column(t.text(), t.pos());
        }
        case NAME -> {
          if (t.text().equals("true") || t.text().equals("false")) {
            return new Node.Literal(Boolean.valueOf(t.text()), t.pos());
          }
          if (KEYWORDS.contains(t.text())) {
            throw error(text, t.pos(), "expected a value, found the operator '" + t.text() + "'");
          }
          if (peek().is("(")) {
            take();
            List<Node> args = new ArrayList<>();
            if (!peek().is(")")) {
              while (true) {
                args.add(expression(depth + 1));
                if (peek().is(",")) {
                  take();
                } else {
                  break;
                }
              }
            }
            if (!peek().is(")")) {
              throw error(
                  text,
                  peek().pos(),
                  "expected ',' or ')' in the call of "
                      + t.text()
                      + "(…), found "
                      + peek().describe());
            }
            take();
            return new Node.Call(t.text().toLowerCase(Locale.ROOT), args, t.pos());
          }
          return new Node.Column(t.text(), t.pos());
        }
        case SYMBOL -> {
          if (t.is("(")) {
            Node inner = expression(depth + 1);
            if (!peek().is(")")) {
              throw error(
                  text, peek().pos(), "expected ')' to close the '(', found " + peek().describe());
            }
            take();
            return inner;
          }
          throw error(text, t.pos(), "expected a value");
        }
        case END -> throw error(text, t.pos(), "expected a value, found the end");
      }
      throw new IllegalStateException("unreachable");
    }
  }

  /** Column names as a list for messages: at most 20, then a count. */
  static String list(Iterable<String> names) {
    List<String> all = new ArrayList<>();
    names.forEach(all::add);
    if (all.size() <= 20) {
      return String.join(", ", all);
    }
    return String.join(", ", all.subList(0, 20)) + ", … (" + all.size() + " in all)";
  }
}
