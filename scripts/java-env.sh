# Sourced by ./build and ./headroom: finds a JDK 21 or newer and exports JAVA_HOME.
# Order: JAVA_HOME, then the JDK of the javac on PATH, then the newest JDK in the system's JVM folders.

headroom_java_major() {  # prints the major version of the JDK at $1, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

headroom_is_jdk21() {  # true when $1 is a JDK (java and javac) of version 21 or newer
  local major
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(headroom_java_major "$1")
  headroom_seen="$headroom_seen $1(${major:-?})"
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

headroom_find_jdk() {
  local home best="" best_major=0 major
  headroom_seen=""
  if [ -n "${JAVA_HOME:-}" ] && headroom_is_jdk21 "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if headroom_is_jdk21 "$home"; then export JAVA_HOME="$home"; return 0; fi
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && headroom_is_jdk21 "$home" || continue
    major=$(headroom_java_major "$home")
    if [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "headroom needs a JDK 21 or newer and found none (looked at:${headroom_seen:- nothing})." >&2
    echo "Install one, e.g. 'sudo apt-get install openjdk-21-jdk' or Temurin 21+ from https://adoptium.net, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# Maven 3.9 on JDK 24+ warns about sun.misc.Unsafe on every build; that noise is Maven's, not ours.
headroom_quiet_maven() {
  local major
  major=$(headroom_java_major "$JAVA_HOME")
  if [ -n "$major" ] && [ "$major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
