package io.flambeau.core;

/** Tensors on different devices in one op, or a device that cannot be used. */
public class DeviceException extends FlambeauException {
    public DeviceException(String message) { super(message); }
    public DeviceException(String message, Throwable cause) { super(message, cause); }
}
