package io.flambeau.backend;

import io.flambeau.core.ScopeException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Deterministic lifetime for storages: a per-thread stack of scopes. Every {@link Storage} created
 * on a thread while a scope is open registers with that thread's innermost scope; closing the scope
 * releases every storage registered with it except those handed out with {@link #keep}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Scopes nest and close in reverse order of opening (try-with-resources does that). Closing a
 *       scope while a scope opened inside it is still open is a {@link ScopeException} that names
 *       both, and closes nothing: releasing the inner scope's tensors behind its owner's back is
 *       what the rule prevents.</li>
 *   <li>{@link #keep} moves a storage to the enclosing scope, or leaves it untracked when there is
 *       none; the caller then owns it (closing it, or letting the garbage collector's safety net
 *       reclaim it).</li>
 *   <li>{@link #outside} runs code whose storages are never tracked, whatever scopes are open:
 *       for long-lived state such as parameters, optimizer state and accumulated gradients.</li>
 *   <li>A scope belongs to the thread that opened it; storages made on other threads are not
 *       tracked by it.</li>
 * </ul>
 * A scope holds strong references to its storages until it closes: keep loop bodies, not whole
 * programs, inside one.
 */
public final class StorageScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<StorageScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    private static final java.util.concurrent.atomic.AtomicLong NEXT_ID = new java.util.concurrent.atomic.AtomicLong(1);
    private static final Storage[] NONE = new Storage[0];

    /**
     * The last thread that looked up its stack, and that stack. Every new storage looks up its
     * thread's stack, and almost all of them are made by one thread in a row; comparing threads
     * is cheaper than the thread-local map's lookup. Immutable, so a racy read sees a whole pair.
     */
    private record LastStack(Thread thread, ArrayDeque<StorageScope> stack) {}
    private static LastStack last = new LastStack(null, null);

    private final long id = NEXT_ID.getAndIncrement();

    /**
     * What this scope owns, in the order it took them: an intrusive list. Each storage records its
     * owner and its slot ({@link Storage#owner}, {@link Storage#ownerSlot}), so taking, handing on
     * and releasing one costs an array store, not a hash-set operation; a storage has one owner
     * at most. A storage that leaves empties its slot; the slots are compacted as the array grows.
     */
    private Storage[] owned = NONE;
    /** Slots used, emptied ones included. */
    private int end;
    /** Storages owned: the slots not emptied. */
    private int live;
    /** Slots below {@link #mark} were taken before {@link #mark()}: compaction keeps them apart. */
    private int mark;
    /** An {@link #outside} frame: storages created under it are not tracked (or go to {@link #target}). */
    private final boolean barrier;
    /** For a barrier made by {@link #outsideRegions}: the scope that takes what is created under it. */
    private StorageScope target;
    /** Opened by {@link #openRegion}: owned by code (autograd's walk), not by the user. */
    private boolean region;
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private StorageScope(boolean barrier) {
        this.barrier = barrier;
    }

    /** Opens a scope on the calling thread; it becomes the innermost one. */
    public static StorageScope open() {
        StorageScope s = new StorageScope(false);
        stack().push(s);
        return s;
    }

    /** This thread's stack of scopes, innermost first. */
    private static ArrayDeque<StorageScope> stack() {
        Thread me = Thread.currentThread();
        LastStack l = last;
        if (l.thread == me) return l.stack;
        ArrayDeque<StorageScope> stack = STACK.get();
        last = new LastStack(me, stack);
        return stack;
    }

    /**
     * Opens a region: a scope that some Flambeau code (autograd's backward walk) owns for a while.
     * Code that runs on behalf of the user inside it — hooks — allocates past it, see
     * {@link #outsideRegions}.
     */
    public static StorageScope openRegion() {
        StorageScope s = open();
        s.region = true;
        return s;
    }

    /**
     * Runs {@code body} so that what it allocates belongs to the innermost scope that is not a
     * region (the user's scope around {@code backward()}), or is untracked when there is none:
     * user code called from inside a region never has its tensors freed by the region's owner.
     */
    public static <T> T outsideRegions(Supplier<T> body) {
        StorageScope target = null;
        for (StorageScope s : stack()) { // from the innermost outwards
            if (s.barrier) { target = s.target; break; }
            if (!s.region) { target = s; break; }
        }
        return underBarrier(target, body);
    }

    /** Runs {@code body} with scope tracking suspended: what it allocates outlives every open scope. */
    public static <T> T outside(Supplier<T> body) {
        return underBarrier(null, body);
    }

    /** Runs {@code body} under a barrier frame whose storages go to {@code target} (untracked when null). */
    private static <T> T underBarrier(StorageScope target, Supplier<T> body) {
        StorageScope frame = new StorageScope(true);
        frame.target = target;
        ArrayDeque<StorageScope> stack = stack();
        stack.push(frame);
        try {
            return body.get();
        } finally {
            stack.remove(frame);
        }
    }

    /** The innermost open scope of this thread, or null (also inside {@link #outside}). */
    public static StorageScope current() {
        StorageScope top = stack().peek();
        return top == null || top.barrier ? null : top;
    }

    /** Called by every new {@link Storage}: registers it with the innermost scope, if any. */
    static void track(Storage s) {
        StorageScope top = stack().peek();
        if (top == null) return;
        if (!top.barrier) top.add(s);
        else if (top.target != null && !top.target.closed) top.target.add(s);
    }

    /** Takes {@code s}, which has no owner. */
    private void add(Storage s) {
        if (end == owned.length) makeRoom();
        s.owner = this;
        s.ownerSlot = end;
        owned[end++] = s;
        live++;
    }

    /**
     * Compacts the slots above the mark when about half of all slots are empty, and doubles the
     * array when that freed nothing (the empty slots may all lie below the mark).
     */
    private void makeRoom() {
        if (live <= end / 2 && end - mark >= 8) {
            int to = mark;
            for (int i = mark; i < end; i++) {
                Storage s = owned[i];
                if (s == null) continue;
                s.ownerSlot = to;
                owned[to++] = s;
            }
            Arrays.fill(owned, to, end, null);
            end = to;
        }
        if (end == owned.length) owned = Arrays.copyOf(owned, Math.max(8, owned.length * 2));
    }

    /** Gives up {@code s} if this scope owns it; returns whether it did. */
    private boolean remove(Storage s) {
        if (s.owner != this) return false;
        owned[s.ownerSlot] = null;
        s.owner = null;
        live--;
        return true;
    }

    /**
     * Makes {@code s} long-lived: no scope of this thread will release it (for state kept across
     * steps, such as optimizer buffers, that was created inside a scope).
     */
    public static void untrack(Storage s) {
        StorageScope owner = s.owner;
        if (owner != null && owner.thread == Thread.currentThread()) owner.remove(s);
    }

    /** Whether this scope will release {@code s} when it closes. */
    public boolean owns(Storage s) {
        return s.owner == this;
    }

    /** Number of storages this scope will release. */
    public int size() {
        return live;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Hands {@code s} out of this scope: it moves to the enclosing scope, or becomes untracked when
     * there is none (or the enclosing frame is an {@link #outside} block). A storage this scope does
     * not own (made before it opened, or already kept) is left alone.
     */
    public void keep(Storage s) {
        checkThread("keep");
        if (closed) throw new ScopeException("keep: " + this + " is already closed; keep tensors before the scope ends");
        if (!remove(s)) return;
        StorageScope enclosing = enclosing();
        if (enclosing != null) enclosing.add(s);
    }

    /**
     * Releases {@code s} now if this scope owns it (its owner is done with it before the scope
     * ends); returns whether it did.
     */
    public boolean release(Storage s) {
        checkThread("release");
        if (!remove(s)) return false;
        s.close();
        return true;
    }

    /**
     * Closes this scope, handing the storages {@code keep} accepts to the enclosing scope (as
     * {@link #keep}) and releasing the others.
     */
    public void closeKeeping(java.util.function.Predicate<Storage> keep) {
        checkThread("close");
        for (int i = 0, n = end; i < n; i++) {
            Storage s = owned[i];
            if (s != null && keep.test(s)) keep(s);
        }
        close();
    }

    /**
     * Marks where this scope's list stands: {@link #releaseSinceMark} later looks only at what it
     * took after this call. Lets the owner of a scope treat a stretch of its allocations apart
     * without opening a scope for each stretch.
     */
    public void mark() {
        checkThread("mark");
        mark = end;
    }

    /** Whether {@code s} is owned by this scope and was taken before the last {@link #mark}. */
    public boolean ownsBeforeMark(Storage s) {
        return s.owner == this && s.ownerSlot < mark;
    }

    /**
     * Releases what this scope took since the last {@link #mark} and {@code keep} rejects; keeps
     * the rest. Rethrows the first failure to release, after trying every one.
     */
    public void releaseSinceMark(java.util.function.Predicate<Storage> keep) {
        checkThread("release");
        List<RuntimeException> failures = null;
        for (int i = mark, n = end; i < n; i++) {
            Storage s = owned[i];
            if (s == null || keep.test(s)) continue;
            remove(s);
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failures == null) failures = new ArrayList<>();
                failures.add(e);
            }
        }
        mark = 0;
        if (failures != null) throw combined(failures);
    }

    private static RuntimeException combined(List<RuntimeException> failures) {
        RuntimeException first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) first.addSuppressed(failures.get(i));
        return first;
    }

    /** Closes this scope without releasing anything: every storage it owns moves to the enclosing scope. */
    public void handOver() {
        closeKeeping(s -> true);
    }

    private StorageScope enclosing() {
        boolean below = false;
        for (StorageScope s : stack()) { // iterates from the innermost outwards
            if (below) return s.barrier ? null : s;
            if (s == this) below = true;
        }
        return null;
    }

    /** Releases every storage this scope still owns (and closes inner scopes left open). */
    @Override
    public void close() {
        if (closed) return;
        checkThread("close");
        ArrayDeque<StorageScope> stack = stack();
        for (StorageScope s : stack) { // from the innermost outwards
            if (s == this) break;
            if (!s.barrier) {
                throw new ScopeException("close: " + this + " cannot close while " + s + ", opened inside it, is"
                        + " still open; close the inner scope first (try-with-resources closes scopes in order)");
            }
        }
        stack.remove(this);
        List<RuntimeException> failures = releaseAll();
        closed = true;
        if (!failures.isEmpty()) throw combined(failures);
    }

    private List<RuntimeException> releaseAll() {
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            Storage s = owned[i];
            if (s == null) continue;
            owned[i] = null;
            s.owner = null;
            try {
                s.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        owned = NONE;
        end = live = mark = 0;
        closed = true;
        return failures;
    }

    private void checkThread(String what) {
        if (Thread.currentThread() != thread) {
            throw new ScopeException(what + ": " + this + " belongs to the thread that opened it, not to "
                    + Thread.currentThread().getName() + "; open a scope on each thread that allocates");
        }
    }

    /** Names the scope in errors: an id in opening order, its depth and its thread. */
    @Override
    public String toString() {
        return "Scope #" + id + " (thread " + thread.getName() + ")";
    }
}
