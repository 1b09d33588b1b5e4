package io.flambeau.conformance;

import java.util.List;
import java.util.Set;

/**
 * A generated sequence of tensor operations, replayable on any device and printable as the Java
 * code that reproduces it.
 *
 * @param seed    the generator seed it came from
 * @param steps   its statements, in order
 * @param inexact variables whose final values went through a rounding-dependent operation
 * @param refused how many steps threw on the CPU (they must throw the same elsewhere)
 */
record Program(long seed, List<Step> steps, Set<String> inexact, int refused) {
    /** The program as a Java snippet: paste it into a test, run it with each device and compare. */
    String toJava() {
        StringBuilder sb = new StringBuilder();
        sb.append("// generated from seed ").append(seed)
                .append("; run once with Device.CPU and once with Device.cuda(0), then compare every tensor\n");
        sb.append("// imports: io.flambeau.*, io.flambeau.core.*, io.flambeau.nn.F, java.util.List\n");
        sb.append("Device device = Device.cuda(0);\n");
        for (Step s : steps) sb.append(s.java()).append('\n');
        return sb.toString();
    }
}
