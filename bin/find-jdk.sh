# shellcheck shell=bash
# Sourced by bin/fnlb and bin/check: finds a JDK >= 21 and exports JAVA_HOME and JAVA (its java),
# plus FNLB_JAVA_MAJOR (its major version) for version-dependent JVM options.
#
# Order: $FNLB_JAVA_HOME (an explicit choice, so it must qualify or we stop), then $JAVA_HOME if it
# is >= 21, then the newest JDK >= 21 under /usr/lib/jvm (and, on macOS,
# /Library/Java/JavaVirtualMachines), then `java` on PATH if it is >= 21. Distributions often
# leave an older `java` on PATH (Debian 12: 17) next to a newer JDK, hence PATH comes last.
#
# When nothing qualifies it prints one line on stderr and returns 1; callers write
# `. find-jdk.sh || exit 1` (returning rather than exiting keeps an interactive shell that sources
# this file alive). Works under `set -euo pipefail`.

FNLB_MIN_JAVA=21

# Prints the major version of the JDK at $1, or nothing when $1 is no JDK (javac is needed:
# bin/fnlb builds the jar with Maven).
_fnlb_jdk_major() {
    local home=$1 version=''
    if [ ! -x "$home/bin/java" ] || [ ! -x "$home/bin/javac" ]; then
        return 0
    fi
    # The release file answers without starting a JVM.
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    case $version in 1.*) version=${version#1.} ;; esac
    version=${version%%[!0-9]*}
    if [ -n "$version" ]; then
        echo "$version"
    fi
}

# Exports the JDK at $1 with major version $2.
_fnlb_use_jdk() {
    JAVA_HOME=$1
    JAVA=$1/bin/java
    FNLB_JAVA_MAJOR=$2
    export JAVA_HOME JAVA FNLB_JAVA_MAJOR
}

_fnlb_find_jdk() {
    local major best='' best_major=0 candidate path_java path_home

    if [ -n "${FNLB_JAVA_HOME:-}" ]; then
        major=$(_fnlb_jdk_major "$FNLB_JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$FNLB_MIN_JAVA" ]; then
            _fnlb_use_jdk "$FNLB_JAVA_HOME" "$major"
            return 0
        fi
        echo "fnlb needs a JDK >= $FNLB_MIN_JAVA, but FNLB_JAVA_HOME=$FNLB_JAVA_HOME is ${major:+version }${major:-not a JDK}" >&2
        return 1
    fi

    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(_fnlb_jdk_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$FNLB_MIN_JAVA" ]; then
            _fnlb_use_jdk "$JAVA_HOME" "$major"
            return 0
        fi
    fi

    for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$candidate" ] || continue
        major=$(_fnlb_jdk_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge "$FNLB_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    if [ -n "$best" ]; then
        _fnlb_use_jdk "$best" "$best_major"
        return 0
    fi

    path_java=$(command -v java || true)
    if [ -n "$path_java" ]; then
        # java.home is right even where `java` is a launcher stub, as on macOS.
        path_home=$("$path_java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.home = //p' | head -n 1)
        major=$(_fnlb_jdk_major "$path_home")
        if [ -n "$major" ] && [ "$major" -ge "$FNLB_MIN_JAVA" ]; then
            _fnlb_use_jdk "$path_home" "$major"
            return 0
        fi
        echo "fnlb needs a JDK >= $FNLB_MIN_JAVA, found none (java on PATH is ${major:-not a JDK});" \
            "install one or set FNLB_JAVA_HOME to it" >&2
        return 1
    fi
    echo "fnlb needs a JDK >= $FNLB_MIN_JAVA, found none (no java on PATH);" \
        "install one or set FNLB_JAVA_HOME to it" >&2
    return 1
}

if _fnlb_find_jdk; then
    unset -f _fnlb_jdk_major _fnlb_use_jdk _fnlb_find_jdk
else
    unset -f _fnlb_jdk_major _fnlb_use_jdk _fnlb_find_jdk
    return 1
fi
