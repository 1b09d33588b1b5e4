/**
 * Scaling out, as {@code torch.distributed}: {@link io.flambeau.distributed.Distributed} joins the
 * job started by {@code mpirun}, a {@link io.flambeau.distributed.ProcessGroup} runs checked
 * collectives on tensors over MPI (through {@code io.flambeau.distributed.mpi}),
 * {@link io.flambeau.distributed.DistributedDataParallel} averages gradients during backward, and
 * {@link io.flambeau.distributed.DistributedSampler} splits data between ranks.
 */
package io.flambeau.distributed;
