package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.CudaAvailability;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link JCudaMissingLibrariesTest}: opens the JCuda binding once and prints
 * the outcome as {@code KEY=value} lines. A JNI library that failed to load cannot be retried in a
 * JVM, so each missing-library scenario needs a JVM of its own.
 *
 * <p>With the argument {@code configure-loopback}, first gives the loopback driver in
 * {@code flambeau.cuda.libraryPath} one device (it starts with none), through its {@code flb_configure}.
 * With a second argument {@code availability}, asks device selection's {@link CudaAvailability#probe()}
 * instead of opening JCuda directly, and prints the binding it chose.
 */
public final class JCudaOpenProbe {
    private JCudaOpenProbe() {}

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("configure-loopback")) {
            Path lib = Path.of(System.getProperty(JCudaLibraries.PATH_PROPERTY), JCudaLibraries.DRIVER_LIBRARY);
            var configure = Linker.nativeLinker().downcallHandle(
                    SymbolLookup.libraryLookup(lib, Arena.global()).find("flb_configure").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            configure.invokeExact(1, 13000, 256L << 20);
        }
        if (args.length > 1 && args[1].equals("availability")) {
            CudaAvailability a = CudaAvailability.probe();
            System.out.println("USABLE=" + a.usable());
            System.out.println("API=" + (a.usable() ? ((io.flambeau.backend.cuda.checked.CheckedCudaApi) a.api()).binding().getClass().getSimpleName() : a.reasonLine()));
            return;
        }
        try {
            JCudaApi api = JCudaApi.open();
            System.out.println("OPENED=" + api);
            System.out.println("BLAS=" + api.hasBlas());
            System.out.println("BLAS_REASON=" + api.blasUnavailableReason());
        } catch (JCudaUnavailableException e) {
            System.out.println("REASON=" + e.reason());
            System.out.println("FOUND=" + e.found());
            System.out.println("NEEDED=" + e.needed());
            System.out.println("MESSAGE=" + e.getMessage().replace('\n', ' '));
            // a second attempt must report the same facts, not a NoClassDefFoundError
            try {
                JCudaApi.open();
                System.out.println("SECOND=opened");
            } catch (JCudaUnavailableException again) {
                System.out.println("SECOND=" + again.reason());
            }
        }
    }
}
