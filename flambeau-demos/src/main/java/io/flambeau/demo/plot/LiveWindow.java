package io.flambeau.demo.plot;

import java.awt.AWTError;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * A desktop window that shows a figure as it changes while a demo trains, the Flambeau
 * counterpart of matplotlib's {@code plt.pause} loop. Demos call {@link #openIfPossible} and
 * carry on without a window when it is empty (a GPU server, CI, a test run), writing PNGs only.
 *
 * <pre>{@code
 * Optional<LiveWindow> window = LiveWindow.openIfPossible("Spiral", firstFigure);
 * for (int it = 0; it < iterations; it++) {
 *     ... train ...
 *     if (it % 10 == 0) window.ifPresent(w -> w.showAndWait(regionMap.title("iteration " + it), 1000));
 * }
 * window.ifPresent(LiveWindow::awaitClose);  // keep the last picture up, like plt.show()
 * }</pre>
 *
 * <p>The window opens with its first picture in it, sized to the figure's own {@link Figure#size()}
 * (shrunk to fit the screen), and every later picture is rendered with those proportions, centred
 * in whatever size the user gives the window: a square region map stays square.
 *
 * <p>Thread-safe: {@link #show} may be called from the training thread at any rate. It stores
 * only the newest image and asks Swing's event thread to repaint, so stale frames are dropped,
 * never queued. {@link #showAndWait} also waits until that image is on the screen, which keeps
 * the window in step with what the training loop prints. Closing the window by hand does not stop
 * the demo: later calls to {@code show} are ignored.
 */
public final class LiveWindow implements AutoCloseable {
    /** Share of the screen a new window may take. */
    private static final double SCREEN_SHARE = 0.85;

    private final JFrame frame;
    private final Dimension figureSize;
    private final AtomicReference<BufferedImage> latest = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object paintedLock = new Object();
    /** The image last painted on screen; guarded by {@link #paintedLock}. */
    private BufferedImage painted;
    /** Size of the picture area, kept up to date by the event thread so {@link #show(Figure)} can read it. */
    private volatile Dimension viewSize;

    private LiveWindow(String title, Figure first) {
        figureSize = first.size();
        frame = new JFrame(title);
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        JPanel view = new ImageView();
        viewSize = fitOnScreen(figureSize);
        latest.set(first.render(viewSize.width, viewSize.height));
        view.setPreferredSize(viewSize);
        view.setBackground(Color.WHITE);
        view.addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent e) {
                viewSize = view.getSize();
            }
        });
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                closed.countDown();
                synchronized (paintedLock) {
                    paintedLock.notifyAll();
                }
            }
        });
        frame.setContentPane(view);
        frame.pack();
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
    }

    /**
     * Opens a window titled {@code title} showing {@code first}, or returns empty where none can be
     * shown: a headless JVM, or a display that fails to open. Never throws for lack of a display.
     * Decide headlessness first with {@link Display#choose}: a display that is configured but
     * unreachable is only found safely there.
     */
    public static Optional<LiveWindow> openIfPossible(String title, Figure first) {
        if (GraphicsEnvironment.isHeadless()) return Optional.empty();
        AtomicReference<LiveWindow> made = new AtomicReference<>();
        try {
            // Swing components must be created on the event thread.
            if (SwingUtilities.isEventDispatchThread()) made.set(new LiveWindow(title, first));
            else SwingUtilities.invokeAndWait(() -> made.set(new LiveWindow(title, first)));
        } catch (InvocationTargetException e) {
            if (isMissingDisplay(e.getCause())) return Optional.empty();
            throw new IllegalStateException("cannot open window '" + title + "'", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (HeadlessException | AWTError | LinkageError e) {
            return Optional.empty();
        }
        return Optional.ofNullable(made.get());
    }

    /**
     * Shows {@code image} in place of the previous one. Returns at once; the caller must not
     * draw into the image afterwards.
     */
    public void show(BufferedImage image) {
        if (!isOpen()) return;
        latest.set(image);
        SwingUtilities.invokeLater(() -> frame.getContentPane().repaint());
    }

    /** Renders {@code figure} with its own proportions, as large as the window's picture area, and shows it. */
    public void show(Figure figure) {
        if (!isOpen()) return;
        Dimension d = fit(figure.size(), viewSize);
        show(figure.render(d.width, d.height));
    }

    /**
     * Shows {@code figure} and waits until it is on the screen, at most {@code timeoutMillis}:
     * a training loop that calls this never runs ahead of its window.
     */
    public void showAndWait(Figure figure, long timeoutMillis) {
        if (!isOpen()) return;
        Dimension d = fit(figure.size(), viewSize);
        BufferedImage image = figure.render(d.width, d.height);
        show(image);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (paintedLock) {
            while (painted != image && isOpen()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return;
                try {
                    paintedLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** False once the window has been closed, by {@link #close()} or by the user. */
    public boolean isOpen() {
        return closed.getCount() > 0;
    }

    /** Blocks until the user closes the window (returns at once if it is closed already). */
    public void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the window. Safe to call more than once and from any thread. */
    @Override
    public void close() {
        SwingUtilities.invokeLater(frame::dispose);
    }

    /** The largest size with the proportions of {@code figure} that fits in {@code box}. */
    static Dimension fit(Dimension figure, Dimension box) {
        double s = Math.min((double) box.width / figure.width, (double) box.height / figure.height);
        return new Dimension(Math.max(1, (int) Math.round(figure.width * s)), Math.max(1, (int) Math.round(figure.height * s)));
    }

    /** The figure's own size, or less, with its proportions, when the screen is smaller. */
    private static Dimension fitOnScreen(Dimension figure) {
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        Dimension room = new Dimension((int) (screen.width * SCREEN_SHARE), (int) (screen.height * SCREEN_SHARE));
        return figure.width <= room.width && figure.height <= room.height ? figure : fit(figure, room);
    }

    private static boolean isMissingDisplay(Throwable t) {
        return t instanceof HeadlessException || t instanceof AWTError || t instanceof LinkageError;
    }

    /** Paints the newest image scaled to fit, keeping its proportions, centred on white. */
    private final class ImageView extends JPanel {
        @Override
        protected void paintComponent(Graphics g) {
            super.paintComponent(g);
            BufferedImage image = latest.get();
            if (image == null) return;
            Dimension d = fit(new Dimension(image.getWidth(), image.getHeight()), getSize());
            Graphics2D g2 = (Graphics2D) g;
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(image, (getWidth() - d.width) / 2, (getHeight() - d.height) / 2, d.width, d.height, null);
            synchronized (paintedLock) {
                painted = image;
                paintedLock.notifyAll();
            }
        }
    }
}
