package io.flambeau.backend.cuda.sim;

import java.util.Arrays;

/**
 * A thread block's shared memory, with a data-race detector.
 *
 * <p>The interpreter runs a block's threads in lock step, so a kernel that forgets a
 * {@code bar.sync} would still compute the right answer here and then fail on a GPU. To catch that,
 * every byte remembers which thread last wrote and read it in the current barrier interval
 * ("epoch"); a plain access that conflicts with another thread's access in the same interval
 * (read-after-write, write-after-write, write-after-read) is reported as a race. Atomics do not
 * conflict with each other. Each block starts with a new epoch and {@code 0xFF}-filled memory, as
 * shared memory is uninitialised on a GPU.
 */
final class SharedMemory {
    /** {@link #reader} value when several threads read a byte in this epoch. */
    static final int MANY = -2;
    /** {@link #writer} value for bytes updated by atomics in this epoch. */
    static final int ATOMIC = -3;

    byte[] data = new byte[0];
    int size;
    boolean raceCheck = true;
    private int[] writer = new int[0], writeEpoch = new int[0], writeLine = new int[0];
    private int[] reader = new int[0], readEpoch = new int[0];
    private int epoch;

    /** Conflict found by the last check: the other thread (or MANY/ATOMIC) and its PTX line. */
    int conflictThread;
    int conflictLine;
    String conflictKind;

    void prepare(int bytes) {
        size = bytes;
        if (data.length < bytes) {
            data = new byte[bytes];
            writer = new int[bytes];
            writeEpoch = new int[bytes];
            writeLine = new int[bytes];
            reader = new int[bytes];
            readEpoch = new int[bytes];
            epoch = 0;
        }
    }

    void beginBlock() {
        Arrays.fill(data, 0, size, (byte) 0xFF);
        epoch++;
    }

    /** A barrier released every waiting thread: accesses before it happen before those after it. */
    void barrier() { epoch++; }

    /** Records a plain read by {@code tid}; false (with conflict fields set) on a race. */
    boolean read(int off, int n, int tid) {
        if (!raceCheck) return true;
        int e = epoch;
        for (int i = off; i < off + n; i++) {
            if (writeEpoch[i] == e && writer[i] != tid) {
                return conflict(writer[i], writeLine[i], "reads a value written by");
            }
            if (readEpoch[i] != e) {
                readEpoch[i] = e;
                reader[i] = tid;
            } else if (reader[i] != tid) {
                reader[i] = MANY;
            }
        }
        return true;
    }

    /** Records a plain write by {@code tid} at PTX {@code line}; false on a race. */
    boolean write(int off, int n, int tid, int line) {
        if (!raceCheck) return true;
        int e = epoch;
        for (int i = off; i < off + n; i++) {
            if (writeEpoch[i] == e && writer[i] != tid) {
                return conflict(writer[i], writeLine[i], "overwrites a value written by");
            }
            if (readEpoch[i] == e && reader[i] != tid) {
                return conflict(reader[i], 0, "overwrites a value read by");
            }
            writer[i] = tid;
            writeEpoch[i] = e;
            writeLine[i] = line;
        }
        return true;
    }

    /** Records an atomic update; conflicts only with another thread's plain write in this epoch. */
    boolean atomic(int off, int n, int tid, int line) {
        if (!raceCheck) return true;
        int e = epoch;
        for (int i = off; i < off + n; i++) {
            if (writeEpoch[i] == e && writer[i] != tid && writer[i] != ATOMIC) {
                return conflict(writer[i], writeLine[i], "atomically updates a value written by");
            }
            writer[i] = ATOMIC;
            writeEpoch[i] = e;
            writeLine[i] = line;
        }
        return true;
    }

    private boolean conflict(int other, int line, String kind) {
        conflictThread = other;
        conflictLine = line;
        conflictKind = kind;
        return false;
    }
}
