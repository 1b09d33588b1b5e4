package io.flambeau.testutil;

/** The Java spelling of PyTorch's op names, by which the test suites find an op's public method. */
public final class OpNames {
    private OpNames() {}

    /** {@code leaky_relu} → {@code leakyRelu}; {@code log1p} stays. */
    public static String javaMethod(String torchName) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : torchName.toCharArray()) {
            if (ch == '_') { upper = true; continue; }
            sb.append(upper ? Character.toUpperCase(ch) : ch);
            upper = false;
        }
        return sb.toString();
    }
}
