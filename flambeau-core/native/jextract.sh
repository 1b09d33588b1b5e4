#!/usr/bin/env bash
# Regenerates the Java bindings for native/headers.h with jextract (https://jdk.java.net/jextract/).
#
# The committed classes io.flambeau.backend.cuda.ffm.CudaDriver_h and Cublas_h were written by hand
# in jextract's layout (one header class, one static method per C function, each backed by a
# static downcall MethodHandle), because jextract is not installed where Flambeau is built. This
# script produces jextract's own output next to them, in io.flambeau.backend.cuda.ffm.gen, for
# comparison or replacement; it needs no CUDA installation, since headers.h is self-contained.
#
# Differences a replacement must keep (see the header comments of the hand-written classes):
#   - the library is found at run time by CudaLibraries (flambeau.cuda.libraryPath, then the
#     system's search path), not fixed with --library at generation time;
#   - a few short, non-blocking calls use Linker.Option.critical(false);
#   - cuEventElapsedTime_v2 falls back to cuEventElapsedTime on drivers older than CUDA 12.8.
#
# Usage: native/jextract.sh [output-dir]     (default: target/jextract)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../target/jextract}"

if ! command -v jextract >/dev/null 2>&1; then
    echo "jextract is not on PATH: download it from https://jdk.java.net/jextract/ and add its bin/ to PATH." >&2
    echo "The hand-written bindings in src/main/java/io/flambeau/backend/cuda/ffm need no regeneration to work." >&2
    exit 2
fi

mkdir -p "$out"
functions_driver=(cuInit cuDriverGetVersion cuGetErrorName cuGetErrorString
    cuDeviceGetCount cuDeviceGet cuDeviceGetName cuDeviceGetAttribute cuDeviceTotalMem_v2
    cuDevicePrimaryCtxRetain cuDevicePrimaryCtxRelease_v2 cuCtxSetCurrent cuCtxSynchronize
    cuMemGetInfo_v2 cuMemAlloc_v2 cuMemFree_v2 cuMemsetD8Async cuMemsetD32Async
    cuMemcpyHtoD_v2 cuMemcpyDtoH_v2 cuMemcpyHtoDAsync_v2 cuMemcpyDtoHAsync_v2 cuMemcpyDtoDAsync_v2
    cuStreamCreate cuStreamSynchronize cuStreamDestroy_v2
    cuEventCreate cuEventRecord cuEventSynchronize cuEventElapsedTime_v2 cuEventElapsedTime cuEventDestroy_v2
    cuModuleLoadDataEx cuModuleGetFunction cuModuleUnload cuLaunchKernel)
functions_blas=(cublasCreate_v2 cublasDestroy_v2 cublasGetVersion_v2 cublasSetStream_v2 cublasSetMathMode
    cublasSgemm_v2 cublasDgemm_v2 cublasSgemmStridedBatched cublasDgemmStridedBatched)

include_args() { for f in "$@"; do printf -- '--include-function\n%s\n' "$f"; done; }

# Two runs, one per library, so that each header class looks its symbols up in one library.
mapfile -t driver_args < <(include_args "${functions_driver[@]}")
jextract --output "$out" --target-package io.flambeau.backend.cuda.ffm.gen \
    --header-class-name CudaDriver_h --library :libcuda.so.1 \
    "${driver_args[@]}" "$here/headers.h"

mapfile -t blas_args < <(include_args "${functions_blas[@]}")
jextract --output "$out" --target-package io.flambeau.backend.cuda.ffm.gen \
    --header-class-name Cublas_h --library :libcublas.so.13 \
    "${blas_args[@]}" "$here/headers.h"

echo "jextract output written to $out/io/flambeau/backend/cuda/ffm/gen"
