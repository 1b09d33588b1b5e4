package io.flambeau.backend.cuda.sim;

import java.util.List;

/** One PTX instruction as written: optional guard predicate, opcode with modifiers, operands. */
record Statement(int line, String guard, boolean guardNegated, String opcode, List<Operand> operands,
                 String text) {}
