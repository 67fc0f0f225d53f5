#!/usr/bin/env bash
# Makes app/src/main/resources/dev/layerwise/app/startup-classes.txt again (decision 0026): the classes
# the FX thread loads from the first view model to the filled Layers table, in that order, taken from
# one `bench --workbench` with the JVM's class-load log. Needs a display (DISPLAY=:N with Xvfb is fine)
# and the jar: mvn -q -B package -DskipTests. Run from the project root.
set -euo pipefail
jar=${1:-app/target/layerwise.jar}
out=app/src/main/resources/dev/layerwise/app/startup-classes.txt
log=$(mktemp) settings=$(mktemp -d)
trap 'rm -rf "$log" "$settings"' EXIT
# the list must not feed itself: nothing is loaded ahead in this run
bench=$(java -Dlayerwise.startupClasses=off -Xlog:class+load=info:file="$log":uptime,tid \
    -Dlayerwise.settings="$settings" -jar "$jar" bench --workbench --ticks 1)
filled_ms=$(sed -n 's/.*Layers table filled *\([0-9]*\) ms.*/\1/p' <<<"$bench")
# the FX thread is the one that loaded the window
fx=$(sed -n 's/^\[[0-9.]*s\]\[\([0-9]*\)\] dev\.layerwise\.app\.MainWindow source:.*/\1/p' "$log")
# "[1.234s][5678] a.b.C source: file:/…" -> "1234 5678 a.b.C file:/…"
sed -n 's/^\[\([0-9]*\)\.\([0-9]*\)s\]\[\([0-9]*\)\] \([^ ]*\) source: \(.*\)$/\1\2 \3 \4 \5/p' "$log" |
awk -v fx="$fx" -v end="$filled_ms" '
    $2 != fx { next }
    $1 + 0 > end + 0 { exit }
    !started && $3 !~ /^dev\.layerwise\.app\./ { next }
    { started = 1 }
    $4 !~ /^(file:|jrt:)/ { next }
    $3 ~ /\$\$Lambda|LambdaForm|\/0x|\$Proxy|WorkbenchTiming/ { next }
    $3 ~ /^(jdk\.internal\.reflect|jdk\.internal\.platform|sun\.management|com\.sun\.management|java\.lang\.management|javax\.management|jdk\.jfr)\./ { next }
    !seen[$3]++ { print $3 }' > "$out"
echo "$(wc -l < "$out") classes in $out (table filled at $filled_ms ms)"
