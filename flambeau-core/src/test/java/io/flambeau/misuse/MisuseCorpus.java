package io.flambeau.misuse;

import java.util.ArrayList;
import java.util.List;

/** Every misuse case, gathered from one table per area of the public API. */
final class MisuseCorpus {
    private MisuseCorpus() {}

    static List<MisuseCase> all() {
        List<MisuseCase> all = new ArrayList<>();
        all.addAll(CreationMisuse.cases());
        all.addAll(ShapeMisuse.cases());
        all.addAll(LifetimeMisuse.cases());
        all.addAll(DTypeMisuse.cases());
        all.addAll(IndexMisuse.cases());
        all.addAll(AutogradMisuse.cases());
        all.addAll(DeviceMisuse.cases());
        all.addAll(NnMisuse.cases());
        all.addAll(OptimMisuse.cases());
        return all;
    }
}
