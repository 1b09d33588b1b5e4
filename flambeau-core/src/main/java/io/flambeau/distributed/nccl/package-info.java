/**
 * The NCCL binding (Panama FFM): {@code libnccl.so.2}'s communicators and collectives on device
 * buffers queued on a CUDA stream, {@code ncclUniqueId} passed by value, every status through one
 * check. {@code ProcessGroup} runs its collectives on CUDA tensors through it
 * ({@code NcclCollectives}).
 */
package io.flambeau.distributed.nccl;
