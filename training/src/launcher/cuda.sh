# CUDA and cuDNN from Maven for the launcher (sourced by ./superconv after a build with -Pgpu,cuda): whether the
# host has its own, and the one-time extraction of JavaCPP's redistributable jar into a cache folder.

# The libraries TensorFlow 2.18's GPU natives open (cudart, cublas, cublasLt, cufft, cusolver, cusparse, cudnn,
# cupti), with what those load in turn: nvJitLink (NEEDED by cusparse and cusolver), cuDNN's sub-libraries and
# NVRTC (dlopened by cuDNN's runtime-compiled engines and cuFFT): 2.2 GB of the jar's 3.1 GB. The rest is never
# opened: NCCL is linked into libtensorflow_framework, and NPP, nvJPEG, nvCOMP, cuRAND, cuFFTW, cuSOLVERMg, nvBLAS
# and NVTX serve other programs.
# .ci/cuda-redist-check derives TensorFlow's list from its binaries and checks it against this one.
CUDA_EXTRACTED='/lib(cudart|cublas|cublasLt|cufft|cusolver|cusparse|cupti|nvJitLink|nvrtc|nvrtc-builtins|cudnn[a-z_]*)\.so\.[0-9.]+$'
CUDA_REQUIRED=(libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcufft.so.11 libcusolver.so.11 libcusparse.so.12
  libcudnn.so.9 libnvJitLink.so.12)
# In each extracted folder, written last: the Maven coordinates it came from (superconv doctor reads it).
CUDA_SOURCE_FILE=superconv-cuda.source

# Whether the host has its own CUDA 12 runtime and cuDNN 9 where the dynamic loader looks: a directory of
# LD_LIBRARY_PATH or ldconfig's cache (its 64-bit entries).
cuda_on_host() {
  local cache soname dir dirs found
  cache="$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)"
  for soname in libcudart.so.12 libcudnn.so.9; do
    found=0
    IFS=: read -ra dirs <<<"${LD_LIBRARY_PATH:-}"
    for dir in "${dirs[@]}"; do
      [[ -n "$dir" && -f "$dir/$soname" ]] && found=1
    done
    grep -qE "^[[:space:]]*${soname//./\\.} \\([^)]*64[^)]*\\) => " <<<"$cache" && found=1
    [[ $found == 1 ]] || return 1
  done
}

# Prints the folder holding the extracted libraries of the redistributable jar $1, extracting them on first use.
# The folder appears only by renaming a complete extraction into place, so a half-extracted one is never used. One
# launcher extracts at a time (a lock beside the folder); the others wait for it and use its result.
cuda_extract() {
  local jar="$1" version cache dir
  version="$(basename "$jar")"
  version="${version#cuda-}"
  version="${version%-linux-x86_64-redist.jar}"
  cache="${SUPERCONV_CUDA_CACHE:-$HOME/.cache/superconv}"
  dir="$cache/cuda-$version"
  if [[ ! -f "$dir/$CUDA_SOURCE_FILE" ]]; then
    mkdir -p "$cache" || return 1
    (
      flock 9 || exit 1
      [[ -f "$dir/$CUDA_SOURCE_FILE" ]] && exit 0
      if [[ -e "$dir" ]]; then
        echo "superconv: $dir is not a complete CUDA extraction (no $CUDA_SOURCE_FILE): remove it" >&2
        exit 1
      fi
      cuda_unpack "$jar" "$version" "$cache" "$dir"
    ) 9>"$cache/cuda-$version.lock" || return 1
  fi
  echo "$dir"
}

# Unpacks into a temporary folder beside $4 and renames it to $4 once complete; run under cuda_extract's lock.
cuda_unpack() {
  local jar="$1" version="$2" cache="$3" dir="$4" jar_tool entries soname
  [[ -f "$jar" ]] || { echo "superconv: $jar is missing: rebuild with SUPERCONV_MAVEN_ARGS=-Pgpu,cuda" >&2; return 1; }
  jar_tool="$(dirname "$(readlink -f "$(command -v java)")")/jar"
  [[ -x "$jar_tool" ]] || { echo "superconv: extracting CUDA needs the JDK's jar tool (not at $jar_tool)" >&2; return 1; }
  # What killed extractions left (an interrupted one removes its own).
  rm -rf "$cache"/.cuda-"$version".*
  # Not local: the trap runs when cuda_extract's subshell exits, after this function has returned.
  cuda_tmp="$(mktemp -d "$cache/.cuda-$version.XXXXXX")" || return 1
  trap 'rm -rf "$cuda_tmp"' EXIT
  local tmp="$cuda_tmp"
  echo "superconv: extracting CUDA and cuDNN from $(basename "$jar") into $dir (once, 2.2 GB) ..." >&2
  entries="$("$jar_tool" tf "$jar" | grep -E "^org/bytedeco/cuda/linux-x86_64$CUDA_EXTRACTED")" \
    || { echo "superconv: $jar lists no CUDA libraries" >&2; return 1; }
  # shellcheck disable=SC2086 # entry names have no spaces
  (cd "$tmp" && "$jar_tool" xf "$jar" $entries) || { echo "superconv: extracting $jar failed" >&2; return 1; }
  mv "$tmp"/org/bytedeco/cuda/linux-x86_64/* "$tmp"/ && rm -r "$tmp/org" || return 1
  for soname in "${CUDA_REQUIRED[@]}"; do
    [[ -f "$tmp/$soname" ]] || { echo "superconv: $(basename "$jar") has no $soname" >&2; return 1; }
  done
  printf 'org.bytedeco:cuda:%s:jar:linux-x86_64-redist\n' "$version" >"$tmp/$CUDA_SOURCE_FILE" || return 1
  # mktemp made it private; the libraries are for every user of this cache, like any installed library.
  chmod 755 "$tmp" && mv -T "$tmp" "$dir"
}
