package io.flambeau;

import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.Backends;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Chooses the default device once: GPU-first. {@code cuda:0} when a CUDA backend reports a
 * usable device, otherwise the CPU, with one log line saying which and why. The system property
 * {@code flambeau.device} or the environment variable {@code FLAMBEAU_DEVICE} forces
 * {@code cpu}, {@code cuda} or {@code cuda:N}; forcing a device that cannot work is an error.
 *
 * <pre>{@code
 * Device d = DeviceSelection.defaultDevice();    // cuda:0 when usable, else cpu
 * DeviceSelection.setDefaultDevice(Device.CPU);  // new tensors and modules on the CPU from now on
 * }</pre>
 */
public final class DeviceSelection {
    private static volatile Device chosen;

    private DeviceSelection() {}

    public static Device defaultDevice() {
        Device d = chosen;
        if (d == null) {
            synchronized (DeviceSelection.class) {
                if (chosen == null) chosen = choose();
                d = chosen;
            }
        }
        return d;
    }

    /** Overrides the default device for this JVM (what the property does, from code). */
    public static void setDefaultDevice(Device device) {
        Backends.of(device); // validates
        chosen = device;
    }

    private static Device choose() {
        String forced = System.getProperty("flambeau.device");
        if (forced == null || forced.isBlank()) forced = System.getenv("FLAMBEAU_DEVICE");
        return choose(forced, Backends.provider(Device.Kind.CUDA), DeviceSelection::log);
    }

    /**
     * The choice itself, from the forced spec (or null), the CUDA provider (or null) and where the
     * one log line goes. The line names the device and why: the provider's reason when CUDA is
     * unusable (no driver, no device, driver too old), its note when usable with a caveat (cuBLAS
     * missing, so the PTX GEMM is used).
     */
    static Device choose(String forced, BackendProvider cuda, Consumer<String> log) {
        String note = cuda == null || cuda.availabilityNote().isEmpty() ? "" : "; " + cuda.availabilityNote();
        if (forced != null && !forced.isBlank()) {
            Device d = Device.parse(forced.trim().toLowerCase(Locale.ROOT));
            if (d.isCuda()) {
                if (cuda == null || !cuda.availableDevices().contains(d)) {
                    String why = cuda == null ? "no CUDA backend on the class path" : cuda.unavailableReason();
                    throw new DeviceException("flambeau.device=" + forced + " asks for " + d + ", which cannot be used: " + why
                            + " (run the doctor command for details, or use cpu)");
                }
            }
            log.accept("using " + d + " (forced by flambeau.device / FLAMBEAU_DEVICE" + (d.isCuda() ? note : "") + ")");
            return d;
        }
        if (cuda != null && !cuda.availableDevices().isEmpty()) {
            Device d = cuda.availableDevices().get(0);
            log.accept("using " + d + " (GPU found" + note + ")");
            return d;
        }
        String why = cuda == null ? "no CUDA backend on the class path" : cuda.unavailableReason();
        log.accept("using cpu (" + why + ")");
        return Device.CPU;
    }

    private static void log(String line) {
        System.getLogger("io.flambeau").log(System.Logger.Level.INFO, "Flambeau: " + line);
    }
}
