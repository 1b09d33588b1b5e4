package io.flambeau.demo;

/**
 * One course demo. {@link Main} has already printed the device and seeded the generator when
 * {@link #run} is called; the demo prints to {@link DemoContext#out()} and writes its figures
 * under {@link DemoContext#outputFile}.
 */
@FunctionalInterface
public interface Demo {
    void run(DemoContext context) throws Exception;
}
