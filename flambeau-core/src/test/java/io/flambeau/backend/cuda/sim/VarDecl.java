package io.flambeau.backend.cuda.sim;

/**
 * A declared variable: a kernel parameter, a {@code .shared} array, or a module-level
 * {@code .global}/{@code .const} array. {@code offset} is its byte offset in its space (parameter
 * buffer or the block's shared memory); {@code init} holds little-endian initial bytes or null.
 */
record VarDecl(String name, StateSpace space, PtxType type, int align, int size, boolean isArray,
               boolean isExtern, int offset, byte[] init, int line) {

    VarDecl withOffset(int newOffset) {
        return new VarDecl(name, space, type, align, size, isArray, isExtern, newOffset, init, line);
    }

    /** How it was declared, e.g. {@code .param .u64 x} or {@code .param .align 8 .b8 shape[64]}. */
    String describe() {
        String sp = "." + space.name().toLowerCase(java.util.Locale.ROOT);
        return isArray
                ? sp + " .align " + align + " ." + type.ptxName() + " " + name + "[" + size / type.bytes() + "]"
                : sp + " ." + type.ptxName() + " " + name;
    }
}
