package dev.flywheel.core.spec;

/**
 * One row filter of a training run ({@code clean.filter}): an expression that must be true for a
 * row to stay. Filters clean training data only; the server never drops a request (DESIGN rule 1).
 *
 * @param expression the expression's text, already checked for syntax
 * @param where the spec file and line, for errors found when the data is read
 */
public record RowFilter(String expression, String where) {}
