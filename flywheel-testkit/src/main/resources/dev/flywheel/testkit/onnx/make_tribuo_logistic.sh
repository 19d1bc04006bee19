#!/bin/sh
# Regenerates tribuo-logistic.onnx and tribuo-logistic.csv with TribuoLogistic.java, on the class
# path of flywheel-ml (Tribuo 4.3.2). Run from anywhere inside the repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here" && git rev-parse --show-toplevel)
cd "$root"
./mvnw -q -B -pl flywheel-ml -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/fixture-classpath.txt -Dmdep.includeScope=runtime
java_bin=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
"$java_bin" -cp "$(cat flywheel-ml/target/fixture-classpath.txt)" "$here/TribuoLogistic.java" "$here"
