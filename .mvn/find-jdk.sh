# Sourced by ./flywheel and ./mvnw: exports JAVA_HOME pointing at a JDK 21 or newer.
# Looks at JAVA_HOME, then java on PATH, then /usr/lib/jvm/* (newest first).
# Returns 1, with JAVA_HOME untouched, when there is none.

flywheel_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' \
    | awk -F. '{ if ($1 == "1") print $2; else print $1 }'
}

flywheel_good_java() {
  local v
  [ -x "$1" ] || return 1
  v="$(flywheel_java_major "$1" || true)"
  [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null
}

flywheel_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && flywheel_good_java "$JAVA_HOME/bin/java"; then
    return 0
  fi
  if candidate="$(command -v java 2>/dev/null)" && flywheel_good_java "$candidate"; then
    candidate="$(readlink -f "$candidate")"
    JAVA_HOME="$(cd "$(dirname "$candidate")/.." && pwd)"
    export JAVA_HOME
    return 0
  fi
  # find, not a glob: ./mvnw runs with globbing off (set -f).
  for candidate in $(find /usr/lib/jvm -maxdepth 3 -path '*/bin/java' 2>/dev/null | sort -rV); do
    if flywheel_good_java "$candidate"; then
      JAVA_HOME="$(cd "$(dirname "$candidate")/.." && pwd)"
      export JAVA_HOME
      return 0
    fi
  done
  return 1
}

flywheel_no_jdk_message() {
  cat >&2 <<'MSG'
flywheel: error: no Java 21 or newer was found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*).
Install a JDK 21+, e.g. 'apt-get install openjdk-21-jdk' or Temurin from adoptium.net,
then set JAVA_HOME to it.
MSG
}
