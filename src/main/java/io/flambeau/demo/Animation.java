package io.flambeau.demo;

import io.flambeau.demo.plot.Figure;
import io.flambeau.demo.plot.LiveWindow;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The course's {@code plt.pause} loop: a training demo hands over a fresh figure every few
 * iterations. With {@code --show} and a display, each frame is drawn in a {@link LiveWindow} and
 * the demo pauses a moment, because training here outpaces the eye and the picture would jump
 * straight to its final shape. A frame may also rewrite a PNG file, so that an image viewer
 * watching it follows the run where no window can be opened (a GPU server); those rewrites are
 * spaced by {@link #PNG_INTERVAL_NANOS}, since computing, rendering and encoding a picture costs
 * as much as several training iterations. A frame nobody will see is never even made.
 */
final class Animation {
    /** Least time between two rewrites of a frame's PNG file. */
    static final long PNG_INTERVAL_NANOS = 2_000_000_000L;

    private final Optional<LiveWindow> window;
    private final long pauseMillis;
    private final PrintStream out;
    private long lastPngWrite = System.nanoTime();

    private Animation(Optional<LiveWindow> window, long pauseMillis, PrintStream out) {
        this.window = window;
        this.pauseMillis = pauseMillis;
        this.out = out;
    }

    /**
     * A window titled {@code title} when {@code --show} was given and a display exists; else an
     * animation that only writes PNG files. {@code pauseMillis} is the pause after each frame shown.
     */
    static Animation open(DemoContext context, String title, long pauseMillis) {
        return new Animation(context.openWindow(title), pauseMillis, context.out());
    }

    /** Whether frames are shown in a window. */
    boolean isLive() {
        return window.isPresent() && window.get().isOpen();
    }

    /** Shows the figure {@code frame} makes, then pauses; does nothing (not even render) without a window. */
    void frame(Supplier<? extends Figure> frame) {
        if (isLive()) show(frame.get());
    }

    /**
     * Shows the figure {@code frame} makes, as {@link #frame(Supplier)} does, and rewrites
     * {@code png} with it when the last rewrite is old enough.
     */
    void frame(Supplier<? extends Figure> frame, Path png) {
        boolean pngDue = System.nanoTime() - lastPngWrite >= PNG_INTERVAL_NANOS;
        if (!isLive() && !pngDue) return;
        Figure figure = frame.get();
        if (pngDue) {
            figure.writePng(png);
            lastPngWrite = System.nanoTime();
        }
        if (isLive()) show(figure);
    }

    /** Shows the last picture and keeps it up until the user closes the window, as {@code plt.show()} does. */
    void finish(Supplier<? extends Figure> last) {
        if (!isLive()) return;
        window.get().show(last.get());
        out.println("close the window to finish");
        window.get().awaitClose();
    }

    private void show(Figure figure) {
        window.get().show(figure);
        if (pauseMillis <= 0) return;
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
