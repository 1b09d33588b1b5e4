/**
 * A simulated CUDA device for tests: {@link io.flambeau.backend.cuda.sim.SimulatedCuda} implements
 * {@link io.flambeau.backend.cuda.api.CudaApi} with host memory as device memory, a PTX interpreter
 * that runs the very PTX text the GPU would get, and a GEMM that follows cuBLAS's column-major
 * contract ({@link io.flambeau.backend.cuda.sim.SimulatedBlas}).
 *
 * <h2>Pipeline</h2>
 * {@link io.flambeau.backend.cuda.sim.PtxLexer} tokens; {@link io.flambeau.backend.cuda.sim.PtxParser}
 * module structure and raw statements; {@link io.flambeau.backend.cuda.sim.InstructionDecoder} (with
 * {@link io.flambeau.backend.cuda.sim.ArithmeticDecoder} and {@link io.flambeau.backend.cuda.sim.DataDecoder})
 * checked, pre-decoded {@link io.flambeau.backend.cuda.sim.Insn}s; {@link
 * io.flambeau.backend.cuda.sim.PtxInterpreter} runs a block's threads together, one dispatch per
 * instruction for all threads that share a program counter, through the execution units
 * ({@code IntegerAlu, FloatAlu, Conversions, MemoryUnit, WarpUnit}). Parsed modules are cached by
 * PTX text.
 *
 * <h2>What a backend author should know</h2>
 * <ul>
 *   <li>Anything outside the supported PTX subset is refused at {@code cuModuleLoadDataEx} with
 *       {@code CUDA_ERROR_INVALID_PTX} and a ptxas-style JIT log naming the line; nothing is guessed.
 *       f32/f64 {@code add/sub/mul} without a rounding modifier are refused too (ptxas may fuse them
 *       into fma on a GPU); write {@code .rn}.</li>
 *   <li>Kernel arguments bind to {@code .param}s in declaration order; sizes must match exactly and
 *       float parameters need {@code f32/f64} arguments (declare {@code .b32/.b64} to pass raw bits).
 *       {@code .param .align A .b8 name[N]} takes {@code KernelArgs.bytes(data, A)} or
 *       {@code longs(...)}.</li>
 *   <li>Device memory: pointers are 256-byte aligned and above 4 GiB; fresh allocations hold
 *       {@code 0xFF} bytes (NaN / -1) because {@code cuMemAlloc} does not zero; every access is
 *       bounds- and alignment-checked against the exact allocation size.</li>
 *   <li>Shared memory: static {@code .shared} arrays, plus one module-level
 *       {@code .extern .shared .align A .b8 dyn[]} for the launch's dynamic bytes; 48 KiB per block.
 *       Shared-space addresses start at 0; generic addresses of shared memory (after
 *       {@code cvta.shared}) lie in a window at {@code 0x7E00_0000_0000}. Every block starts with
 *       {@code 0xFF}-filled shared memory and a data-race detector reports conflicting accesses by
 *       different threads with no {@code bar.sync} between them.</li>
 *   <li>Integer division by zero, barrier divergence and shuffles naming lanes that are not present
 *       fail the launch with {@code CUDA_ERROR_LAUNCH_FAILED}; an instruction budget turns endless
 *       loops into {@code CUDA_ERROR_LAUNCH_TIMEOUT}.</li>
 *   <li>Work runs synchronously on the calling thread; errors are not sticky.</li>
 * </ul>
 */
package io.flambeau.backend.cuda.sim;
