#!/usr/bin/env bash
# Runs the built jar against broken, endless, oversized and malicious inputs and checks the contract
# (exit 1/2, one stderr line naming the file, inputs unchanged, <= 10 s, nothing left in the temp folder).
# Needs the jar and the test classes: mvn -q -B package -DskipTests && mvn -q -B test-compile -pl app -am
set -euo pipefail
cd "$(dirname "$0")/.."
jar=app/target/layerwise.jar
[ -f "$jar" ] && [ -d app/target/test-classes ] && [ -d core/target/test-classes ] || {
  echo "build first: mvn -q -B package -DskipTests && mvn -q -B test-compile -pl app -am" >&2; exit 2; }
# the test helpers' annotations refer to JUnit; its API jars are in the local Maven repository after a build
junit=$(find ~/.m2/repository/org/junit/jupiter/junit-jupiter-api ~/.m2/repository/org/opentest4j -name '*.jar' 2>/dev/null | tr '\n' ':')
exec java -cp "$jar:core/target/test-classes:app/target/test-classes:$junit" dev.layerwise.app.HostileInputs "$jar" app/target "$@"
