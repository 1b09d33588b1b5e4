package io.flambeau.backend.cuda.sim;

/** PTX state spaces the simulator knows; GENERIC is an address without a space qualifier. */
enum StateSpace {
    GENERIC, GLOBAL, SHARED, CONST, PARAM, LOCAL;

    static StateSpace parse(String s) {
        return switch (s) {
            case "global" -> GLOBAL;
            case "shared" -> SHARED;
            case "const" -> CONST;
            case "param" -> PARAM;
            case "local" -> LOCAL;
            default -> null;
        };
    }
}
