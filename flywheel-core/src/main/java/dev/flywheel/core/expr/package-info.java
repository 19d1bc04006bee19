/**
 * Flywheel's own small expression language, for derived features and row filters. It is sandboxed
 * by construction: the grammar has literals, column names, operators and calls to a fixed table of
 * pure functions, and nothing else, so an expression can read the current row's values and compute
 * with them, but cannot name a Java class, call a method, read a file or open a socket. See
 * docs/spec.md ("Expressions") and docs/dependencies.md for why this is not Commons JEXL.
 */
package dev.flywheel.core.expr;
