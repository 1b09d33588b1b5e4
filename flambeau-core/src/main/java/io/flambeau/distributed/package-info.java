/**
 * Scaling out, as {@code torch.distributed}: {@link io.flambeau.distributed.Distributed} joins the
 * job started by {@code mpirun} (or by the env rendezvous, {@code FLAMBEAU_MASTER_ADDR/PORT}), a
 * {@link io.flambeau.distributed.ProcessGroup} runs checked collectives on tensors over MPI for CPU
 * tensors (through {@code io.flambeau.distributed.mpi}) and NCCL for CUDA tensors (through
 * {@code io.flambeau.distributed.nccl}, on the device's stream),
 * {@link io.flambeau.distributed.DistributedDataParallel} averages gradients during backward, and
 * {@link io.flambeau.distributed.DistributedSampler} splits data between ranks.
 */
package io.flambeau.distributed;
