# Shared by the bench/ scripts (run from the repository root): builds the modules and the bench module's
# classes (bench/java) and runs a class on JDK 25+ with their class path.

# On a machine without Maven, the kit that bench/gpu-kit packed (unpacked in target/gpu-kit) stands
# in for the build: its JDK runtime and its class paths.
FLAMBEAU_KIT=target/gpu-kit
# FLAMBEAU_USE_KIT=1 uses the kit even where a mvn command exists.
flambeau_kit() { [ -d "$FLAMBEAU_KIT" ] && { [ -n "${FLAMBEAU_USE_KIT:-}" ] || ! command -v mvn >/dev/null 2>&1; }; }

flambeau_java_home() {
  local cand
  if flambeau_kit; then echo "$FLAMBEAU_KIT/jdk"; return 0; fi
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
  mkdir -p target
  if flambeau_kit; then cut -d: -f2- "$FLAMBEAU_KIT/bench.classpath" > target/bench.classpath; return 0; fi
  # one reactor run, so that the bench module's class path names the modules' compiled classes
  # (flambeau-core/target/classes, its test-classes, flambeau-jcuda/target/classes) and every jar
  mvn -q -pl bench -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/target/bench.classpath" >/dev/null
}

# The class path of the benchmarks: bench/java's classes, then what flambeau_build_bench listed.
flambeau_bench_classpath() {
  if flambeau_kit; then cat "$FLAMBEAU_KIT/bench.classpath"; return 0; fi
  echo "bench/target/test-classes:$(cat target/bench.classpath)"
}

# The loopback driver's sources, for the binding benchmark (LoopbackLibrary builds it on first use).
FLAMBEAU_NATIVE_FLAG="-Dflambeau.native.dir=flambeau-core/native"

flambeau_java() {
  local home
  home=$(flambeau_java_home)
  "$home/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -Xms6g -Xmx6g -XX:+AlwaysPreTouch "$FLAMBEAU_NATIVE_FLAG" -cp "$(flambeau_bench_classpath)" "$@" 2> >(grep -v 'WARNING: Using incubator modules' >&2)
}
