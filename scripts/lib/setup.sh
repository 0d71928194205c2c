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

# ensure_cdisc_core: the CDISC CORE rules engine (PyPI cdisc-rules-engine 0.17.1, which needs
# Python 3.12) in a venv of its own under the user's cache, outside the repository, with every
# package pinned by scripts/lib/cdisc-core-requirements.txt; sets CDISC_CORE_PYTHON. Quiet when
# the venv already holds exactly those pins. Python 3.12 is pyenv's 3.12.1, or python3.12 on PATH.
ensure_cdisc_core() {
    local lib requirements venv python stamp
    lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    requirements="$lib/cdisc-core-requirements.txt"
    venv="${LTFU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ltfu}/cdisc-core-0.17.1"
    stamp=$(sha256sum "$requirements" | cut -d' ' -f1)
    CDISC_CORE_PYTHON="$venv/bin/python"
    export CDISC_CORE_PYTHON
    [ -x "$CDISC_CORE_PYTHON" ] && [ "$(cat "$venv/.ltfu-requirements" 2>/dev/null)" = "$stamp" ] && return 0
    python="${PYENV_ROOT:-$HOME/.pyenv}/versions/3.12.1/bin/python3"
    [ -x "$python" ] || python=$(command -v python3.12 || true)
    if [ -z "$python" ]; then
        echo "error: the CDISC CORE rules engine needs Python 3.12: install it (pyenv install 3.12.1) or put python3.12 on PATH" >&2
        return 69
    fi
    echo "==> installing the CDISC CORE rules engine into $venv" >&2
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" </dev/null >&2
    echo "$stamp" >"$venv/.ltfu-requirements"
}
