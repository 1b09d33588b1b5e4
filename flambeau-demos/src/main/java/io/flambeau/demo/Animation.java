package io.flambeau.demo;

import io.flambeau.demo.plot.Figure;
import io.flambeau.demo.plot.LiveWindow;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The course's {@code plt.pause} loop for one figure: a training demo hands over a fresh picture
 * every few iterations. With {@code --show} and a display, the first frame opens a window with
 * the picture already in it, each frame is shown and waited for until it is on the screen (so the
 * window never lags behind the console), and the demo pauses a moment, because training here
 * outpaces the eye and the picture would jump straight to its final shape. A frame may also
 * rewrite a PNG file, so that an image viewer watching it follows the run where no window can be
 * opened (a GPU server); those rewrites are spaced by {@link #PNG_INTERVAL_NANOS}, since
 * computing, rendering and encoding a picture costs as much as several training iterations. A
 * frame nobody will see is never even made.
 */
final class Animation {
    /** Least time between two rewrites of a frame's PNG file. */
    static final long PNG_INTERVAL_NANOS = 2_000_000_000L;
    /** Longest wait for a frame to reach the screen (a slow remote display must not stall training). */
    private static final long PAINT_TIMEOUT_MILLIS = 2_000;

    private final Windows windows;
    private final String title;
    private final long pauseMillis;
    /** Null until the first frame opens the window; empty if it could not open. */
    private Optional<LiveWindow> window;
    private long lastPngWrite = System.nanoTime();

    private Animation(Windows windows, String title, long pauseMillis) {
        this.windows = windows;
        this.title = title;
        this.pauseMillis = pauseMillis;
    }

    /**
     * The animation of one figure, shown in a window titled {@code title} when {@code --show} was
     * given and a display exists, else only written as PNG files. {@code pauseMillis} is the
     * pause after each frame shown.
     */
    static Animation open(DemoContext context, String title, long pauseMillis) {
        return new Animation(context.windows(), title, pauseMillis);
    }

    /** Whether frames are shown in a window. */
    boolean isLive() {
        if (window == null) return windows.wanted();
        return window.isPresent() && window.get().isOpen();
    }

    /** Shows the figure {@code frame} makes, then pauses; does nothing (not even render) without a window. */
    void frame(Supplier<? extends Figure> frame) {
        if (isLive()) show(frame.get(), pauseMillis);
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
        if (isLive()) show(figure, pauseMillis);
    }

    /**
     * Shows the last picture; the window stays up after the demo until the user closes it
     * ({@link Windows#finish}), as {@code plt.show()} does.
     */
    void finish(Supplier<? extends Figure> last) {
        if (isLive()) show(last.get(), 0);
    }

    private void show(Figure figure, long pause) {
        if (window == null) {
            window = windows.open(title, figure);
            window.ifPresent(w -> w.showAndWait(figure, PAINT_TIMEOUT_MILLIS));
        } else {
            window.ifPresent(w -> w.showAndWait(figure, PAINT_TIMEOUT_MILLIS));
        }
        if (pause <= 0) return;
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
