#!/bin/sh
# The app image's class-data archive (decisions 0015, 0036), in one place for the build and the .deb.
#
#   sh class-archive.sh train IMAGE (the build) runs the bundled sample through IMAGE twice, as
#       'analyze' and as the workbench with three ticks (on an Xvfb of its own, unseen; without Xvfb on
#       $DISPLAY, where the window shows for a few seconds; with neither, the commands' classes only),
#       and writes the classes both loaded to IMAGE/lib/app/layerwise.classlist
#   sh class-archive.sh dump IMAGE (the build, the .deb's postinst where the jars now are, and by hand
#       in a copied image's new folder: the file is not executable) makes
#       IMAGE/lib/app/layerwise.jsa from that list: the JDK's and the app's classes, parsed and
#       verified ahead, which the launcher maps (-XX:SharedArchiveFile in layerwise.cfg)
#
# The archive names the class path it was made with, so it is made with the launcher's own: the
# app.classpath lines of layerwise.cfg, in order, $APPDIR being IMAGE/lib/app.
set -eu

usage() {
    echo "usage: sh class-archive.sh train|dump IMAGE" >&2
    exit 2
}
[ $# -eq 2 ] || usage
image=$(cd "$2" && pwd)
app="$image/lib/app"
java="$image/lib/runtime/bin/java"
# (awk reads the folder from the environment: a path is taken as it is, whatever characters it holds)
cp=$(APP="$app" awk 'index($0, "app.classpath=$APPDIR") == 1 { print ENVIRON["APP"] substr($0, 22) }' "$app/layerwise.cfg" \
    | paste -sd: -)
[ -n "$cp" ] || { echo "class-archive.sh: no app.classpath in $app/layerwise.cfg" >&2; exit 1; }

train() {
    out=$(mktemp -d)
    xvfb=""
    trap 'if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi; rm -rf "$out"' EXIT
    # dash runs no EXIT trap when a signal ends it (an interrupted build): exit, so that it does
    trap 'exit 143' TERM
    trap 'exit 130' INT
    trap 'exit 129' HUP
    # in this JVM: a 'java -jar'-style relaunch would train another process
    export LAYERWISE_JVM_RELAUNCH=0
    # -Xshare:off: every class loaded is listed, none is taken from the runtime's archive unlisted
    if ! "$java" -Xshare:off -XX:DumpLoadedClassList="$out/commands.classlist" -Donnxruntime.native.path="$app/native" \
            -cp "$cp" dev.layerwise.app.Main analyze -o "$out/analyze" >"$out/analyze.log" 2>&1; then
        cat "$out/analyze.log" >&2
        echo "class-archive.sh: the training 'analyze' failed" >&2
        exit 1
    fi
    cat "$out/commands.classlist" >"$out/all.classlist"
    display=""
    if command -v Xvfb >/dev/null 2>&1; then
        # an X server of its own on a free display: Xvfb writes the number it took to fd 3
        Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$out/display" >/dev/null 2>&1 &
        xvfb=$!
        i=0
        while [ ! -s "$out/display" ] && [ $i -lt 100 ] && kill -0 "$xvfb" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done
        if [ -s "$out/display" ]; then
            display=":$(cat "$out/display")"
        else
            echo "class-archive.sh: Xvfb did not start" >&2
        fi
    fi
    if [ -z "$display" ] && [ -n "${DISPLAY:-}" ]; then
        echo "class-archive.sh: no Xvfb: the workbench opens on $DISPLAY for a few seconds to list its classes" >&2
        display="$DISPLAY"
    fi
    if [ -z "$display" ]; then
        echo "class-archive.sh: no Xvfb and no display: the archive holds the commands' classes, not the window's" >&2
    elif DISPLAY="$display" timeout -k 10 300 "$java" -Xshare:off -XX:DumpLoadedClassList="$out/window.classlist" \
            -Donnxruntime.native.path="$app/native" -cp "$cp" dev.layerwise.app.Main bench --workbench --ticks 3 \
            >"$out/window.log" 2>&1; then
        cat "$out/window.classlist" >>"$out/all.classlist"
    else
        cat "$out/window.log" >&2
        echo "class-archive.sh: the workbench's training run failed: the archive holds the commands' classes only" >&2
    fi
    # one list, each line once, in the order first loaded
    grep -v '^#' "$out/all.classlist" | awk '!seen[$0]++' >"$app/layerwise.classlist"
}

dump() {
    [ -s "$app/layerwise.classlist" ] || { echo "class-archive.sh: $app/layerwise.classlist is missing" >&2; exit 1; }
    tmp="$app/layerwise.jsa.$$"
    # nothing half-made is left beside the archive, however this ends
    trap 'rm -f "$tmp" "$tmp.log"' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    trap 'exit 129' HUP
    # the JVM prints its progress and a warning per class it leaves out (JFR's event classes) on stdout
    if "$java" -Xshare:dump -XX:SharedClassListFile="$app/layerwise.classlist" -XX:SharedArchiveFile="$tmp" \
            -cp "$cp" >"$tmp.log" 2>&1; then
        rm -f "$tmp.log"
        mv -f "$tmp" "$app/layerwise.jsa"
    else
        cat "$tmp.log" >&2
        rm -f "$tmp" "$tmp.log"
        echo "class-archive.sh: the class-data archive could not be made" >&2
        exit 1
    fi
}

case "$1" in
    train) train ;;
    dump) dump ;;
    *) usage ;;
esac
