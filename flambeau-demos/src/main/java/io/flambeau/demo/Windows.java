package io.flambeau.demo;

import io.flambeau.demo.plot.Figure;
import io.flambeau.demo.plot.LiveWindow;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The live windows of one demo run. A demo opens one per figure, as the course's matplotlib
 * figures are; when the demo ends, {@link #finish} keeps them up until the user closes them, as
 * {@code plt.show()} does, or closes them at once with {@code --no-wait}.
 */
final class Windows {
    private final boolean wanted;
    private final List<LiveWindow> opened = new ArrayList<>();

    /** {@code wanted}: {@code --show} was given and {@link io.flambeau.demo.plot.Display} found a display. */
    Windows(boolean wanted) {
        this.wanted = wanted;
    }

    /** Whether frames may be shown: a window is open or may still be opened. */
    boolean wanted() {
        return wanted;
    }

    /** A new window titled {@code title} showing {@code first}, when windows are wanted and one opens. */
    synchronized Optional<LiveWindow> open(String title, Figure first) {
        if (!wanted) return Optional.empty();
        Optional<LiveWindow> window = LiveWindow.openIfPossible(title, first);
        window.ifPresent(opened::add);
        return window;
    }

    /** Waits until the user has closed every open window, or closes them when {@code waitForUser} is false. */
    void finish(PrintStream out, boolean waitForUser) {
        List<LiveWindow> open;
        synchronized (this) {
            open = opened.stream().filter(LiveWindow::isOpen).toList();
        }
        if (open.isEmpty()) return;
        if (waitForUser) {
            out.println(open.size() == 1 ? "close the window to finish (--no-wait does not wait)"
                    : "close the " + open.size() + " windows to finish (--no-wait does not wait)");
            out.flush();
            open.forEach(LiveWindow::awaitClose);
        } else {
            open.forEach(LiveWindow::close);
        }
    }
}
