package io.flambeau.backend.cpu;

import io.flambeau.backend.View;

/** Gather and scatter by absolute element offsets: the CPU side of advanced indexing. */
final class CpuIndexing {
    private CpuIndexing() {}

    static void take(View src, View offsets, View out) {
        CpuStorage s = (CpuStorage) src.storage(), idx = (CpuStorage) offsets.storage(), o = (CpuStorage) out.storage();
        new StridedLoop(out.shape(), offsets.offset(), offsets.strides(), 0, null, out.offset(), out.strides())
                .forAll((oa, ob, oc, n, sa, sb, sc) -> {
                    for (int i = 0; i < n; i++) {
                        int at = (int) idx.l[oa + i * sa];
                        int to = oc + i * sc;
                        switch (o.dtype()) {
                            case FLOAT32 -> o.f[to] = s.f[at];
                            case FLOAT64 -> o.d[to] = s.d[at];
                            case INT64 -> o.l[to] = s.l[at];
                            case BOOL -> o.b[to] = s.b[at];
                        }
                    }
                });
    }

    static void put(View dst, View offsets, View values, boolean accumulate) {
        CpuStorage d = (CpuStorage) dst.storage(), idx = (CpuStorage) offsets.storage(), v = (CpuStorage) values.storage();
        new StridedLoop(offsets.shape(), offsets.offset(), offsets.strides(), values.offset(), values.strides(), 0, null)
                .forAll((oa, ob, oc, n, sa, sb, sc) -> {
                    for (int i = 0; i < n; i++) {
                        int at = (int) idx.l[oa + i * sa];
                        int from = ob + i * sb;
                        if (!accumulate) {
                            switch (d.dtype()) {
                                case FLOAT32 -> d.f[at] = v.f[from];
                                case FLOAT64 -> d.d[at] = v.d[from];
                                case INT64 -> d.l[at] = v.l[from];
                                case BOOL -> d.b[at] = v.b[from];
                            }
                        } else {
                            switch (d.dtype()) {
                                case FLOAT32 -> d.f[at] += v.f[from];
                                case FLOAT64 -> d.d[at] += v.d[from];
                                case INT64 -> d.l[at] += v.l[from];
                                case BOOL -> d.b[at] |= v.b[from];
                            }
                        }
                    }
                });
    }
}
