package io.flambeau.demo.plot;

import java.awt.AWTError;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.RenderingHints;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
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
 * Optional<LiveWindow> window = LiveWindow.openIfPossible("Spiral");
 * for (int it = 0; it < iterations; it++) {
 *     ... train ...
 *     if (it % 10 == 0) window.ifPresent(w -> w.show(regionMap.title("iteration " + it)));
 * }
 * window.ifPresent(LiveWindow::awaitClose);  // keep the last picture up, like plt.show()
 * }</pre>
 *
 * <p>Thread-safe: {@link #show} may be called from the training thread at any rate. It only
 * stores the newest image and asks Swing's event thread to repaint, so a fast loop never blocks
 * on drawing or queues up a backlog of stale frames; the window shows whichever image is newest
 * when it gets to paint. Closing the window by hand does not stop the demo: later calls to
 * {@code show} are ignored.
 */
public final class LiveWindow implements AutoCloseable {
    private final JFrame frame;
    private final AtomicReference<BufferedImage> latest = new AtomicReference<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Size of the picture area, kept up to date by the event thread so {@link #show(Figure)} can read it. */
    private volatile Dimension viewSize = new Dimension(Figure.DEFAULT_WIDTH, Figure.DEFAULT_HEIGHT);
    /** True until the first image has sized the window to itself. */
    private boolean firstImage = true;

    private LiveWindow(String title) {
        frame = new JFrame(title);
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        JPanel view = new ImageView();
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
            }
        });
        frame.setContentPane(view);
        frame.pack();
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
    }

    /**
     * Opens a window titled {@code title}, or returns empty where none can be shown: a headless
     * JVM, or a display that is configured but unreachable. Never throws for lack of a display.
     */
    public static Optional<LiveWindow> openIfPossible(String title) {
        if (GraphicsEnvironment.isHeadless()) return Optional.empty();
        AtomicReference<LiveWindow> made = new AtomicReference<>();
        try {
            // Swing components must be created on the event thread.
            if (SwingUtilities.isEventDispatchThread()) made.set(new LiveWindow(title));
            else SwingUtilities.invokeAndWait(() -> made.set(new LiveWindow(title)));
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
     * draw into the image afterwards (figures render a fresh image each time, so this holds
     * for {@code window.show(figure.render(w, h))}).
     */
    public void show(BufferedImage image) {
        if (!isOpen()) return;
        latest.set(image);
        SwingUtilities.invokeLater(this::repaintNewest);
    }

    /** Renders {@code figure} at the window's current size and shows it. */
    public void show(Figure figure) {
        if (!isOpen()) return;
        Dimension d = viewSize;
        show(figure.render(Math.max(1, d.width), Math.max(1, d.height)));
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

    /** Runs on the event thread. */
    private void repaintNewest() {
        BufferedImage image = latest.get();
        if (image == null || !frame.isDisplayable()) return;
        if (firstImage) {
            // Fit the window to the first picture; after that the user's resizing wins.
            firstImage = false;
            Dimension size = new Dimension(image.getWidth(), image.getHeight());
            if (!size.equals(frame.getContentPane().getSize())) {
                frame.getContentPane().setPreferredSize(size);
                frame.pack();
            }
        }
        frame.getContentPane().repaint();
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
            double s = Math.min((double) getWidth() / image.getWidth(), (double) getHeight() / image.getHeight());
            int w = (int) Math.round(image.getWidth() * s);
            int h = (int) Math.round(image.getHeight() * s);
            Graphics2D g2 = (Graphics2D) g;
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(image, (getWidth() - w) / 2, (getHeight() - h) / 2, w, h, null);
        }
    }
}
