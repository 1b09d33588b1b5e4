/*
 * The reference of bench/distributed-figures: MPI_Allreduce of float32 from 4 KiB to 256 MiB
 * through the same libmpi as Flambeau, timed as DistributedFigures times its own all-reduce
 * (mean over iterations after 3 warm-up calls, between barriers, on rank 0), printed as
 * nccl-tests' bus bandwidth. Compiled by the script with mpicc at bench time. An argument, in
 * bytes, starts the sweep there instead of at 4 KiB.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, n;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    long from = argc > 1 ? atol(argv[1]) : 4 << 10;
    for (long bytes = from; bytes <= 256L << 20; bytes *= 4) {
        long count = bytes / 4;
        float *buf = malloc(bytes);
        for (long i = 0; i < count; i++) buf[i] = 1.0f;
        long iterations = (64L << 20) / bytes * 5;
        if (iterations < 5) iterations = 5;
        if (iterations > 200) iterations = 200;
        for (int i = 0; i < 3; i++) MPI_Allreduce(MPI_IN_PLACE, buf, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (long i = 0; i < iterations; i++) MPI_Allreduce(MPI_IN_PLACE, buf, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double seconds = (MPI_Wtime() - start) / iterations;
        MPI_Barrier(MPI_COMM_WORLD);
        double busbw = bytes / seconds * 2.0 * (n - 1) / n / 1e9;
        if (rank == 0) {
            if (bytes >= 1 << 20) printf("allreduce_busbw_%ldMiB %.3f GB/s\n", bytes >> 20, busbw);
            else printf("allreduce_busbw_%ldKiB %.3f GB/s\n", bytes >> 10, busbw);
        }
        free(buf);
    }
    MPI_Finalize();
    return 0;
}
