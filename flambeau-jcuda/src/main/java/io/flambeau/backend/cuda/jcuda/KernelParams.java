package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.KernelArgs;
import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * {@code cuLaunchKernel}'s {@code void** kernelParams} built the way JCuda expects it: a pointer to
 * an array of pointers, one per parameter, each pointing at that parameter's bytes.
 *
 * <p>Each value travels as its own little-endian {@code byte[]} ({@link KernelArgs} already holds it
 * so); JCuda pins or copies each array for the duration of the call, which is all the driver needs,
 * since {@code cuLaunchKernel} copies parameter values before it returns. Device pointers are values
 * like any other here (8 bytes), so no {@code CUdeviceptr} objects are made per launch.
 */
final class KernelParams {
    private KernelParams() {}

    static Pointer of(KernelArgs args) {
        NativePointerObject[] values = new NativePointerObject[args.count()];
        for (int i = 0; i < values.length; i++) values[i] = Pointer.to(args.bytes(i));
        return Pointer.to(values);
    }
}
