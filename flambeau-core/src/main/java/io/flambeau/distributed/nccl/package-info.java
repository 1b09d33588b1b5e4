/**
 * The NCCL binding (Panama FFM): {@code libnccl.so.2}'s communicators and collectives on device
 * buffers queued on a CUDA stream, {@code ncclUniqueId} passed by value, every status through one
 * check. Not yet behind {@code ProcessGroup}: collectives on CUDA tensors still go through MPI.
 */
package io.flambeau.distributed.nccl;
