package io.flambeau.misuse;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import io.flambeau.core.FlambeauException;
import io.flambeau.core.Ownership;
import io.flambeau.core.ShapeException;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/**
 * Devices: bad names, tensors on two devices in one op, CUDA calls on CPU tensors. The cases that
 * mix devices put the simulated GPU behind {@code cuda:0} first, so they hold whichever device is
 * the default of the run.
 */
final class DeviceMisuse {
    private DeviceMisuse() {}

    private static Tensor onCpu(long... shape) { return Torch.ones(shape).to(Device.CPU); }

    private static Tensor onGpu(long... shape) {
        SimCuda.install();
        return Torch.ones(shape).to(Device.cuda(0));
    }

    static List<MisuseCase> cases() {
        return List.of(
                of("device name that does not exist", DeviceException.class,
                        "RuntimeError: Expected one of cpu, cuda, ... device type at start of device string: gpu",
                        () -> Device.parse("gpu"),
                        "'gpu'", "cpu, cuda or cuda:N"),
                of("device with a bad index", DeviceException.class,
                        "RuntimeError: Invalid device string: 'cuda:x'",
                        () -> Device.parse("cuda:x"),
                        "'cuda:x'"),
                of("negative cuda index", DeviceException.class,
                        "RuntimeError: Device index must not be negative",
                        () -> Device.cuda(-1),
                        "must be >= 0", "-1"),
                of("add of a cpu and a cuda tensor", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
                        () -> onGpu(2).add(onCpu(2)),
                        "add", "same device", "cuda:0", "cpu", ".to(device)"),
                of("matmul of a cpu and a cuda tensor", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cpu and cuda:0!",
                        () -> onCpu(2, 2).matmul(onGpu(2, 2)),
                        "matmul", "same device"),
                of("Linear on the cpu fed a cuda input", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device",
                        () -> new Linear(2, 2).to(Device.CPU).forward(onGpu(1, 2)),
                        "same device", "cuda:0"),
                of("cat across devices", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device",
                        () -> Torch.cat(List.of(onCpu(2), onGpu(2))),
                        "cat", "same device"),
                of("where across devices", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device",
                        () -> Torch.where(onGpu(2).gt(0.0), onCpu(2), onCpu(2)),
                        "where", "same device"),
                of("cross_entropy with targets on another device", DeviceException.class,
                        "RuntimeError: Expected all tensors to be on the same device",
                        () -> F.crossEntropy(onGpu(2, 3), Torch.tensor(new long[] {0, 1}).to(Device.CPU)),
                        "same device"),
                of("index a cpu tensor with a cuda index", DeviceException.class,
                        "RuntimeError: indices should be either on cpu or on the same device as the indexed tensor (cpu)",
                        () -> onCpu(3).get(Torch.tensor(new long[] {0}).to(Device.cuda(0))),
                        "indices", "same device", "cuda:0"),
                of("dataPtr of a cpu tensor", DeviceException.class,
                        "PyTorch gives a host address; Flambeau's CPU tensors live in Java arrays with no stable address",
                        () -> onCpu(2).dataPtr(),
                        "dataPtr()", "cpu", "Java array"),
                of("Cuda.wrap with strides that do not fit the shape", ShapeException.class,
                        "no counterpart (torch.as_strided checks its storage bounds)",
                        () -> {
                            SimCuda.install();
                            Cuda.wrap(0x1000, new long[] {2, 3}, new long[] {1}, DType.FLOAT32, Device.cuda(0), Ownership.BORROWED);
                        },
                        "Cuda.wrap", "[2, 3]"),
                of("Cuda.wrap of sizes that overflow", ShapeException.class,
                        "no counterpart (torch.as_strided: Storage size calculation overflowed with sizes=[...])",
                        () -> {
                            SimCuda.install();
                            Cuda.wrap(0x1000, new long[] {1L << 40, 1L << 40}, DType.FLOAT32, Device.cuda(0),
                                    Ownership.BORROWED);
                        },
                        "Cuda.wrap", "overflowed", "[1099511627776, 1099511627776]"),
                of("Cuda.wrap of strides that reach past a 64-bit size", ShapeException.class,
                        "no counterpart (torch.as_strided checks the storage size)",
                        () -> {
                            SimCuda.install();
                            Cuda.wrap(0x1000, new long[] {4, 4}, new long[] {1L << 62, 1}, DType.FLOAT32, Device.cuda(0),
                                    Ownership.BORROWED);
                        },
                        "Cuda.wrap", "overflowed", "strides"),
                of("a device index that has no GPU", FlambeauException.class,
                        "RuntimeError: CUDA error: invalid device ordinal",
                        () -> Torch.ones(2).to(Device.cuda(7)),
                        "cuda:7")
        );
    }
}
