package io.flambeau.distributed;

import io.flambeau.core.DType;
import io.flambeau.distributed.mpi.MpiComm;
import io.flambeau.distributed.mpi.MpiRequest;
import io.flambeau.distributed.mpi.NativeBuffer;

/**
 * The control channel of an MPI group: {@code MPI_Iallgather} on the group's communicator, polled
 * until the deadline. The two small buffers are kept from call to call (a collective's header costs
 * one MPI call, not two allocations), and replaced after a timeout, when MPI may still write into them.
 */
final class MpiControlChannel implements ControlChannel {
    private final MpiComm comm;
    private NativeBuffer send;
    private NativeBuffer recv;

    MpiControlChannel(MpiComm comm) { this.comm = comm; }

    @Override
    public synchronized long[] allGather(long[] mine, long deadlineNanos) {
        int n = mine.length;
        if (send == null || send.count() != n) {
            close();
            send = NativeBuffer.allocate(DType.INT64, n);
            recv = NativeBuffer.allocate(DType.INT64, (long) n * comm.size());
        }
        send.write(0, mine);
        MpiRequest request = comm.iallgather(send, recv, n, DType.INT64);
        if (!request.await(deadlineNanos)) {
            send.abandon();
            recv.abandon();
            send = recv = null;
            return null;
        }
        return (long[]) recv.read(0, n * comm.size());
    }

    @Override
    public synchronized void close() {
        if (send != null) send.close();
        if (recv != null) recv.close();
        send = recv = null;
    }
}
