package io.flambeau.backend.cuda;

import io.flambeau.backend.Backends;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import io.flambeau.core.Device;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only tally of every {@link CudaApi} call a backend makes, by method name, around a
 * {@link SimulatedCuda}: what the tests of launch counts, synchronisations and copies read.
 * Built as a {@link Proxy}, so it forwards every method of the interface without listing them.
 */
public final class CallTally {
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final SimulatedCuda sim;
    private final CudaApi api;

    private CallTally(SimulatedCuda sim) {
        this.sim = sim;
        this.api = (CudaApi) Proxy.newProxyInstance(CudaApi.class.getClassLoader(), new Class<?>[] {CudaApi.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) return method.invoke(sim, args);
                    calls.computeIfAbsent(method.getName(), k -> new AtomicLong()).incrementAndGet();
                    try {
                        return method.invoke(sim, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A counting simulated device of 1 GiB. */
    public static CallTally create() {
        return new CallTally(new SimulatedCuda(SimulatedCudaConfig.builder().totalMemory(1L << 30).build()));
    }

    public CudaApi api() { return api; }

    public SimulatedCuda simulator() { return sim; }

    /** Calls of one method so far ({@code "launchKernel"}, {@code "streamSynchronize"}, ...). */
    public long count(String method) {
        AtomicLong n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Every count so far, by method name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The calls made since {@code before} (methods with none omitted). */
    public Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        snapshot().forEach((k, v) -> {
            long delta = v - before.getOrDefault(k, 0L);
            if (delta != 0) d.put(k, delta);
        });
        return d;
    }

    /**
     * Registers a backend over this device as {@code cuda:0} (tests run one class at a time, so the
     * shared simulated device is put back by {@link #restoreSharedDevice}).
     */
    public CudaBackend installAsCuda0() {
        CudaBackend b = new CudaBackend(api, 0);
        Backends.register(Device.cuda(0), b);
        return b;
    }

    /** Puts the shared simulated device of {@link SimCuda} back behind {@code cuda:0}. */
    public static void restoreSharedDevice() { SimCuda.install(); }
}
