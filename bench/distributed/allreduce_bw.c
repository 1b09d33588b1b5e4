/*
 * The reference of bench/distributed-figures: MPI_Allreduce of float32 from 4 KiB to 256 MiB
 * through the same libmpi as Flambeau, in place (MPI_IN_PLACE), with the method DistributedFigures
 * uses for its own all-reduce, step for step:
 *   - a warm-up of WARM_UP_CALLS all-reduces of 4 KiB and as many of 256 KiB before the sweep
 *     (for the JVM, compiled code on both of its paths; here it warms MPI alike),
 *   - at each size, 5 untimed calls (MPI's internal buffers for that size), a barrier, then
 *     `iterations` calls timed one by one on rank 0 with no barrier between them, a barrier,
 *   - printed as nccl-tests' bus bandwidth (bytes / time * 2(n-1)/n) of the median call, then of
 *     the mean call (nccl-tests' own average), so that a call preempted by another process on a
 *     shared machine does not decide the figure.
 * Compiled by the script with mpicc at bench time. An argument, in bytes, starts the sweep there.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define WARM_UP_CALLS 1000

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void allreduce(float *buf, long count) {
    MPI_Allreduce(MPI_IN_PLACE, buf, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, n;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    long from = argc > 1 ? atol(argv[1]) : 4 << 10;
    float *warm = calloc(64 << 10, sizeof(float));
    for (int i = 0; i < WARM_UP_CALLS; i++) allreduce(warm, 1 << 10);
    for (int i = 0; i < WARM_UP_CALLS; i++) allreduce(warm, 64 << 10);
    free(warm);
    for (long bytes = from; bytes <= 256L << 20; bytes *= 4) {
        long count = bytes / 4;
        float *buf = malloc(bytes);
        for (long i = 0; i < count; i++) buf[i] = 1.0f;
        long iterations = (64L << 20) / bytes * 5;
        if (iterations < 10) iterations = 10;
        if (iterations > 200) iterations = 200;
        double *seconds = malloc(iterations * sizeof(double));
        for (int i = 0; i < 5; i++) allreduce(buf, count);
        MPI_Barrier(MPI_COMM_WORLD);
        double total = 0;
        for (long i = 0; i < iterations; i++) {
            double start = MPI_Wtime();
            allreduce(buf, count);
            seconds[i] = MPI_Wtime() - start;
            total += seconds[i];
        }
        MPI_Barrier(MPI_COMM_WORLD);
        qsort(seconds, iterations, sizeof(double), by_value);
        double factor = bytes * 2.0 * (n - 1) / n / 1e9;
        double median = factor / seconds[iterations / 2], mean = factor / (total / iterations);
        if (rank == 0) {
            if (bytes >= 1 << 20) printf("allreduce_busbw_%ldMiB", bytes >> 20);
            else printf("allreduce_busbw_%ldKiB", bytes >> 10);
            printf(" %.3f GB/s (median call; mean call %.3f GB/s)\n", median, mean);
        }
        free(seconds);
        free(buf);
    }
    MPI_Finalize();
    return 0;
}
