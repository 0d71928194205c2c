# Sourced by the scripts in scripts/: installs what they use when it is missing.
# Debian's packages only; the Swift toolchain must already be installed (/opt/swift here).

# ensure_debian_packages PKG...: installs the packages that are not installed yet.
ensure_debian_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing Debian packages: ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq </dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# ensure_python_module NAME [REQUIREMENT]: installs a PyPI package for the python3 on PATH when
# it cannot be imported as NAME; with REQUIREMENT `dist==VERSION`, also when another version is.
ensure_python_module() {
    local requirement=${2:-$1}
    if [[ $requirement == *==* ]]; then
        python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('${requirement%%==*}') != '${requirement#*==}')" 2>/dev/null && return 0
    else
        python3 -c "import $1" 2>/dev/null && return 0
    fi
    echo "==> installing the Python package $requirement" >&2
    python3 -m pip install --quiet "$requirement" </dev/null >&2 || python3 -m pip install --quiet --break-system-packages "$requirement" </dev/null >&2
}

# ensure_swift: puts swift on PATH, or explains what is missing.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: no Swift toolchain found; install Swift 6.1 or later (swift.org) and put it on PATH" >&2
        exit 69
    fi
}

# The Debian packages every build needs.
BUILD_PACKAGES=(libsqlite3-dev libsystemd-dev pkg-config)

# build_release_binaries: release ltfud and ltfuctl for a site server, with the Swift runtime
# linked in (a server has no Swift toolchain), and prints the folder that holds them.
build_release_binaries() {
    local flags=(-c release --static-swift-stdlib)
    swift build "${flags[@]}" --product ltfud >&2
    swift build "${flags[@]}" --product ltfuctl >&2
    swift build "${flags[@]}" --show-bin-path
}
