package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaMisuseException;

/** The one way the checked seam refuses a call: a {@link CudaMisuseException} naming it. */
final class Misuse {
    private Misuse() {}

    static CudaMisuseException refuse(int status, String call, String detail) {
        return new CudaMisuseException(call, status, detail);
    }

    static String hex(long value) { return "0x" + Long.toHexString(value); }
}
