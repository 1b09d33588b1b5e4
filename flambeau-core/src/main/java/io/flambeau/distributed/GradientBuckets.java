package io.flambeau.distributed;

import io.flambeau.Index;
import io.flambeau.RemovableHandle;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DistributedException;
import io.flambeau.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gradient reducer of {@link DistributedDataParallel}: parameters grouped into buckets of at
 * most {@code capBytes} (one dtype and device per bucket), taken in reverse registration order,
 * which is roughly the order backward produces their gradients, as PyTorch does.
 *
 * <p>A post-accumulate hook on every parameter marks its gradient ready. When every gradient of a
 * bucket is ready, the bucket's gradients are laid end to end and its all-reduce (average) is
 * started, asynchronously, while backward goes on. Buckets are started strictly in bucket order,
 * whatever order their gradients arrive in, so every rank issues the same collectives in the same
 * order; the order is the same on every rank because the bucket layout is (checked at
 * construction). When the last bucket has started, the reducer waits for all of them and writes the
 * averages back into the parameters' gradients, before backward returns.
 */
final class GradientBuckets {
    private record Bucket(List<String> names, List<Parameter> parameters, long numel, DType dtype, Device device) {}

    private final ProcessGroup group;
    private final List<Bucket> buckets = new ArrayList<>();
    private final int[] waiting;
    private final List<Work> inFlight = new ArrayList<>();
    private final List<Tensor> flats = new ArrayList<>();
    private final List<RemovableHandle> hooks = new ArrayList<>();
    private int nextToStart;
    private boolean partial;
    private boolean syncThisBackward = true;

    GradientBuckets(Map<String, Parameter> parameters, ProcessGroup group, long capBytes) {
        this.group = group;
        List<Map.Entry<String, Parameter>> order = new ArrayList<>();
        parameters.forEach((n, p) -> {
            if (p.requiresGrad()) order.add(Map.entry(n, p));
        });
        java.util.Collections.reverse(order);
        List<String> names = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        long bytes = 0, numel = 0;
        for (var e : order) {
            Parameter p = e.getValue();
            long size = p.numel() * p.dtype().byteSize();
            boolean fits = params.isEmpty() || (bytes + size <= capBytes && p.dtype() == params.getFirst().dtype()
                    && p.device().equals(params.getFirst().device()));
            if (!fits) {
                buckets.add(new Bucket(List.copyOf(names), List.copyOf(params), numel, params.getFirst().dtype(),
                        params.getFirst().device()));
                names.clear();
                params.clear();
                bytes = 0;
                numel = 0;
            }
            names.add(e.getKey());
            params.add(p);
            bytes += size;
            numel += p.numel();
        }
        if (!params.isEmpty()) {
            buckets.add(new Bucket(List.copyOf(names), List.copyOf(params), numel, params.getFirst().dtype(),
                    params.getFirst().device()));
        }
        waiting = new int[buckets.size()];
        reset();
        for (int b = 0; b < buckets.size(); b++) {
            int bucket = b;
            for (Parameter p : buckets.get(b).parameters()) {
                hooks.add(p.tensor().registerPostAccumulateGradHook(t -> ready(bucket)));
            }
        }
    }

    /** The parameter names of each bucket, in the order the buckets are reduced. */
    List<List<String>> layout() {
        List<List<String>> out = new ArrayList<>();
        for (Bucket b : buckets) out.add(b.names());
        return out;
    }

    /** A fingerprint of the layout (names, shapes, dtypes, bucket boundaries) that every rank must share. */
    long fingerprint() {
        long h = 1125899906842597L;
        for (Bucket b : buckets) {
            h = 31 * h + b.dtype().ordinal();
            for (int i = 0; i < b.parameters().size(); i++) {
                h = 31 * h + b.names().get(i).hashCode();
                h = 31 * h + java.util.Arrays.hashCode(b.parameters().get(i).shape().toArray());
            }
            h = 31 * h + 7919; // bucket boundary
        }
        return h;
    }

    /** Called at each forward: whether the coming backward averages gradients, and a check on the last one. */
    void beforeForward(boolean sync) {
        if (partial) {
            List<String> missing = new ArrayList<>();
            for (int b = 0; b < buckets.size(); b++) {
                if (waiting[b] > 0) missing.addAll(buckets.get(b).names());
            }
            throw new DistributedException("DistributedDataParallel: the previous backward produced no gradient for "
                    + missing + ", so their buckets were never reduced; every parameter given to"
                    + " DistributedDataParallel must take part in the loss (or set requiresGrad_(false) on the unused ones"
                    + " before wrapping the module)");
        }
        syncThisBackward = sync;
    }

    private void ready(int bucket) {
        if (!syncThisBackward) return;
        partial = true;
        if (--waiting[bucket] > 0) return;
        while (nextToStart < buckets.size() && waiting[nextToStart] == 0) start(nextToStart++);
        if (nextToStart == buckets.size()) finish();
    }

    private void start(int b) {
        Bucket bucket = buckets.get(b);
        List<Tensor> grads = new ArrayList<>();
        for (Parameter p : bucket.parameters()) grads.add(p.grad().reshape(-1));
        Tensor flat = grads.size() == 1 ? grads.getFirst().clone() : Torch.cat(grads);
        flats.add(flat);
        inFlight.add(group.allReduceAsync(flat, ReduceOp.AVG));
    }

    private void finish() {
        try {
            for (int b = 0; b < inFlight.size(); b++) {
                inFlight.get(b).waitFor();
                Tensor flat = flats.get(b);
                long at = 0;
                for (Parameter p : buckets.get(b).parameters()) {
                    Tensor slice = flat.get(Index.slice(at, at + p.numel())).view(p.shape().toArray());
                    p.grad().copy_(slice);
                    at += p.numel();
                }
            }
        } finally {
            reset();
        }
    }

    private void reset() {
        for (int b = 0; b < buckets.size(); b++) waiting[b] = buckets.get(b).parameters().size();
        nextToStart = 0;
        inFlight.clear();
        flats.forEach(Tensor::close);
        flats.clear();
        partial = false;
    }

    /** Removes the hooks: the parameters go back to plain local gradients. */
    void remove() {
        hooks.forEach(RemovableHandle::remove);
        hooks.clear();
    }
}
