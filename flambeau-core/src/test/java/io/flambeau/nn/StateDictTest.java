package io.flambeau.nn;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Module#stateDict()} and the strict {@link Module#loadStateDict}. */
class StateDictTest {

    static Sequential model() {
        return new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
    }

    /** Deep copies of every parameter's values, to check a model is unchanged. */
    static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> out.put(k, p.tensor().toFloatArray()));
        return out;
    }

    static void assertSameValues(Map<String, float[]> expected, Module m) {
        Map<String, float[]> actual = snapshot(m);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }

    @Test
    void stateDictIsOrderedAndSharesMemory() {
        Sequential m = model();
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(sd.keySet()));
        Tensor w = sd.get("0.weight");
        assertTrue(!w.requiresGrad() && w.sharesStorageWith(((Linear) m.get(0)).weight().tensor()));
    }

    @Test
    void roundTripCopiesValuesIntoAnotherModel() {
        Sequential source = model(), target = model();
        List<Parameter> targetParams = target.parameters();
        target.loadStateDict(source.stateDict());
        assertSameValues(snapshot(source), target);
        assertEquals(targetParams, target.parameters(), "parameters are updated in place, not replaced");
        for (Parameter p : target.parameters()) assertTrue(p.requiresGrad() && p.tensor().isLeaf());
        // and the copies are independent of the source
        try (var ignored = Torch.noGrad()) {
            ((Linear) source.get(0)).weight().tensor().fill_(7);
        }
        assertTrue(((Linear) target.get(0)).weight().tensor().toFloatArray()[0] != 7);
    }

    @Test
    void missingAndUnexpectedKeysAreReportedAndNothingChanges() {
        Sequential m = model();
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> sd = new LinkedHashMap<>(model().stateDict());
        sd.remove("2.bias");
        sd.put("3.weight", Torch.zeros(1));
        StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(sd));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"2.bias\""), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"3.weight\""), e.getMessage());
        assertEquals(List.of("2.bias", "3.weight"), e.keys());
        assertInstanceOf(DataException.class, e);
        assertSameValues(before, m);
    }

    @Test
    void shapeMismatchNamesTheKeyAndNothingChanges() {
        Sequential m = model();
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> sd = new LinkedHashMap<>(model().stateDict());
        sd.put("2.weight", Torch.zeros(3, 1));
        StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(sd));
        assertTrue(e.getMessage().contains("size mismatch for 2.weight: copying a param with shape torch.Size([3, 1])"
                + " from checkpoint, the shape in current model is torch.Size([1, 3])"), e.getMessage());
        assertEquals(List.of("2.weight"), e.keys());
        assertSameValues(before, m);
    }

    @Test
    void dtypeMismatchNamesTheKeyAndNothingChanges() {
        Sequential m = model();
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> sd = new LinkedHashMap<>(model().stateDict());
        sd.put("0.bias", Torch.zeros(DType.FLOAT64, 3));
        StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(sd));
        assertTrue(e.getMessage().contains("0.bias") && e.getMessage().contains("float64"), e.getMessage());
        assertSameValues(before, m);
    }
}
