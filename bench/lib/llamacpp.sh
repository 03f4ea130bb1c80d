# Sourced by the benchmarks that run llama.cpp beside our engine (decode.sh, serve.sh).
#
# llama_cpp_build TARGET...: builds the named llama.cpp tools from the vendored copy in the
# `llama-cpp-python==0.3.36` sdist (pip download, no binary wheel), once, into
# $CLARIFYCODER_HOME/peers/llama_cpp_python-0.3.36/vendor/llama.cpp/build, with -DGGML_NATIVE=ON
# (llama.cpp's own choice of the host's SIMD) and no CURL. Sets LLAMA_BIN to the folder of binaries.
# Needs: pip (for the sdist and, when missing, cmake), a C/C++ compiler. Set LLAMA_CPP_DIR to use a
# llama.cpp checkout you built yourself (its build/bin is used as is).
#
# resolve_model NAME|PATH: prints the GGUF path of a model name the CLI knows (from the cache,
# `clarifycoder data fetch --only NAME`) or of a path; fails with the fetch command when missing.
LLAMA_CPP_VERSION=0.3.36
: "${CLARIFYCODER_HOME:=$HOME/.cache/clarifycoder}"

llama_cpp_build() {
    local root="${LLAMA_CPP_DIR:-$CLARIFYCODER_HOME/peers/llama_cpp_python-$LLAMA_CPP_VERSION/vendor/llama.cpp}"
    LLAMA_BIN="$root/build/bin"
    local missing=()
    for target in "$@"; do [ -x "$LLAMA_BIN/$target" ] || missing+=("$target"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -n "${LLAMA_CPP_DIR:-}" ] && [ ! -f "$root/CMakeLists.txt" ]; then
        echo "LLAMA_CPP_DIR=$LLAMA_CPP_DIR is not a llama.cpp source tree" >&2
        return 1
    fi
    if [ ! -f "$root/CMakeLists.txt" ]; then
        local peers="$CLARIFYCODER_HOME/peers" tmp
        mkdir -p "$peers"
        tmp=$(mktemp -d)
        echo "llama.cpp: downloading the llama-cpp-python==$LLAMA_CPP_VERSION sdist" >&2
        python3 -m pip download -q --no-deps --no-binary llama-cpp-python -d "$tmp" \
            "llama-cpp-python==$LLAMA_CPP_VERSION" >&2 || {
            echo "could not download the sdist: pip download --no-deps --no-binary llama-cpp-python llama-cpp-python==$LLAMA_CPP_VERSION" >&2
            return 1
        }
        tar xzf "$tmp"/llama_cpp_python-"$LLAMA_CPP_VERSION".tar.gz -C "$peers"
        rm -rf "$tmp"
    fi
    command -v cmake >/dev/null || python3 -m pip install -q cmake >&2 || {
        echo "cmake is missing: pip install cmake (or apt-get install cmake)" >&2
        return 1
    }
    echo "llama.cpp: building ${missing[*]} (once; several minutes on 2 cores)" >&2
    cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
        -DLLAMA_BUILD_TESTS=OFF >&2
    cmake --build "$root/build" -j "$(nproc)" --target "${missing[@]}" >&2
}

resolve_model() {
    local spec=$1
    if [ -f "$spec" ]; then
        echo "$spec"
        return 0
    fi
    local found
    found=$(ls "$CLARIFYCODER_HOME/assets/$spec/"*.gguf 2>/dev/null | head -n 1 || true)
    if [ -z "$found" ]; then
        echo "model $spec is not in $CLARIFYCODER_HOME/assets: run \`clarifycoder data fetch --only $spec\`" >&2
        [ "$spec" = smollm2 ] && echo "(for smollm2: \`clarifycoder data fetch --only model\`)" >&2
        return 1
    fi
    echo "$found"
}
