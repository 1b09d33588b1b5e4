/**
 * A simulated CUDA device for tests: {@link io.flambeau.backend.cuda.sim.SimulatedCuda} implements
 * {@link io.flambeau.backend.cuda.api.CudaApi} with host memory as device memory, a PTX interpreter
 * that runs the very PTX text the GPU would get, and a column-major GEMM that follows cuBLAS's
 * contract.
 *
 * <p>Pipeline: {@link io.flambeau.backend.cuda.sim.PtxLexer} tokens, {@link
 * io.flambeau.backend.cuda.sim.PtxParser} module structure and raw statements, {@link
 * io.flambeau.backend.cuda.sim.InstructionDecoder} checked, pre-decoded {@link
 * io.flambeau.backend.cuda.sim.Insn}s, and {@link io.flambeau.backend.cuda.sim.PtxInterpreter} runs
 * a block's threads together, one instruction for all threads that share a program counter.
 */
package io.flambeau.backend.cuda.sim;
