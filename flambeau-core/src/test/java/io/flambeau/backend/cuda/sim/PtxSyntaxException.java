package io.flambeau.backend.cuda.sim;

/**
 * PTX the simulator refuses to load, with the source line; becomes a {@code CUDA_ERROR_INVALID_PTX}
 * whose JIT log reads like ptxas' ({@code ptxas application ptx input, line N; error   : ...}).
 */
final class PtxSyntaxException extends RuntimeException {
    final int line;
    final boolean unsupportedVersion;

    PtxSyntaxException(int line, String message) {
        this(line, message, false);
    }

    PtxSyntaxException(int line, String message, boolean unsupportedVersion) {
        super(message);
        this.line = line;
        this.unsupportedVersion = unsupportedVersion;
    }

    /** The log line in ptxas' format. */
    String jitLog() {
        return "ptxas application ptx input, line " + line + "; "
                + (unsupportedVersion ? "fatal   : " : "error   : ") + getMessage();
    }
}
