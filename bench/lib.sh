# Shared by the bench/ scripts: builds main + bench classes and runs a class on JDK 25+.

flambeau_java_home() {
  local cand
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -x "$cand/bin/java" ] || continue
    local v
    v=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$cand"; return 0; fi
  done
  echo "no JDK 25+ found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
  return 1
}

flambeau_build_bench() {
  mvn -q test-compile
  mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
}

flambeau_java() {
  local home
  home=$(flambeau_java_home)
  "$home/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -Xms6g -Xmx6g -XX:+AlwaysPreTouch -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" "$@" 2> >(grep -v 'WARNING: Using incubator modules' >&2)
}
