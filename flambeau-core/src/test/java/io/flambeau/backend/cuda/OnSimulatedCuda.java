package io.flambeau.backend.cuda;

import io.flambeau.DeviceSelection;
import io.flambeau.core.Device;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with {@code cuda:0} (the {@link SimCuda simulated GPU}) as the default device,
 * so that factories such as {@code Torch.tensor} and {@code Torch.zeros} put tensors there. Every
 * test class shares one JVM, so the previous default is put back after the class; nested classes
 * see the outer class's switch and restore what they found.
 *
 * <p>Use: {@code @ExtendWith(OnSimulatedCuda.class)} on the class, or subclass a CPU test with it
 * to run the very same assertions on the GPU.
 */
public final class OnSimulatedCuda implements BeforeAllCallback, AfterAllCallback {
    public static final Device GPU = Device.cuda(0);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OnSimulatedCuda.class);
    private static final String PREVIOUS = "previous default device";

    @Override
    public void beforeAll(ExtensionContext context) {
        SimCuda.install();
        // Stored per context: a nested class's store is its own, so each level restores what it found.
        context.getStore(NAMESPACE).put(PREVIOUS, DeviceSelection.defaultDevice());
        DeviceSelection.setDefaultDevice(GPU);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Device previous = context.getStore(NAMESPACE).remove(PREVIOUS, Device.class);
        if (previous != null) DeviceSelection.setDefaultDevice(previous);
    }
}
