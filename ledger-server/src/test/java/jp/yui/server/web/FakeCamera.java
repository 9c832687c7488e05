package jp.yui.server.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jp.yui.merchant.QrImages;

/**
 * A video for Chromium's fake camera ({@code --use-file-for-fake-video-capture}): a phone held up to a QR code. The
 * code is drawn by merchant-sdk (as the shop's till shows it) into the middle of a grey 640×480 frame and written as
 * YUV4MPEG2 (4:2:0), which Chromium plays in a loop.
 */
final class FakeCamera {

    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    private static final int QR_SIZE = 360;
    private static final int FRAMES = 5;

    private FakeCamera() {
    }

    /** A video of {@code payload} as a QR code, in a new file under {@code dir}. */
    static Path showing(String payload, Path dir) {
        try {
            BufferedImage qr = ImageIO.read(new ByteArrayInputStream(QrImages.png(payload, QR_SIZE)));
            BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.setColor(new Color(0xb0, 0xb0, 0xb0)); // a counter top around the printed code
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.drawImage(qr, (WIDTH - QR_SIZE) / 2, (HEIGHT - QR_SIZE) / 2, null);
            g.dispose();
            byte[] y = new byte[WIDTH * HEIGHT];
            for (int row = 0; row < HEIGHT; row++) {
                for (int col = 0; col < WIDTH; col++) {
                    int rgb = frame.getRGB(col, row);
                    int r = (rgb >> 16) & 0xff;
                    int gr = (rgb >> 8) & 0xff;
                    int b = rgb & 0xff;
                    y[row * WIDTH + col] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                }
            }
            byte[] chroma = new byte[(WIDTH / 2) * (HEIGHT / 2)];
            java.util.Arrays.fill(chroma, (byte) 128); // grey: no colour
            Path file = Files.createTempFile(dir, "camera-", ".y4m");
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F10:1 Ip A1:1 C420jpeg\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < FRAMES; i++) {
                    out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(y);
                    out.write(chroma);
                    out.write(chroma);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the fake camera's video", e);
        }
    }
}
