package jp.yui.merchant;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.imageio.ImageIO;

/**
 * QR code images of payloads, and payloads from images (a till with a camera), through ZXing. Codes use error
 * correction level M and a quiet zone of 4 modules on every side. A payload that is all ASCII is written in byte
 * mode without an ECI header; one with other characters (a Japanese name in tag 64) as UTF-8, announced by an ECI
 * header so that readers do not guess Shift_JIS. Stateless and thread-safe.
 */
public final class QrImages {

    /** Modules of white around the code, as the QR specification asks. */
    public static final int QUIET_ZONE_MODULES = 4;

    /** The largest PNG drawn, in pixels a side (about 2 MB of pixels); for larger prints use {@link #svg}. */
    public static final int MAX_PNG_SIZE_PX = 4096;

    private QrImages() {
    }

    /**
     * @param payload the text to encode, typically {@link QrPayload#encode()}
     * @param sizePx  width and height of the image in pixels; at least the code's width in modules (quiet zone
     *                included: 29 for the smallest code, 49 to 61 for Yui's static and dynamic codes). The code is drawn at
     *                the largest whole number of pixels per module that fits and centred, so no module is blurred;
     *                at most {@value #MAX_PNG_SIZE_PX}
     * @return a PNG image, black on white
     * @throws NullPointerException     if {@code payload} is null
     * @throws IllegalArgumentException if {@code payload} is empty or too long for a QR code, or {@code sizePx} is
     *                                  smaller than the code or larger than {@value #MAX_PNG_SIZE_PX}
     */
    public static byte[] png(String payload, int sizePx) {
        if (sizePx > MAX_PNG_SIZE_PX) {
            throw new IllegalArgumentException("sizePx must be at most " + MAX_PNG_SIZE_PX + ": " + sizePx);
        }
        BitMatrix modules = modules(payload);
        int width = modules.getWidth();
        if (sizePx < width) {
            throw new IllegalArgumentException(
                    "sizePx must be at least the code's " + width + " modules (quiet zone included): " + sizePx);
        }
        int scale = sizePx / width;
        int margin = (sizePx - width * scale) / 2;
        // One bit per pixel; in TYPE_BYTE_BINARY's palette sample 0 is black and 1 white.
        BufferedImage image = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[sizePx];
        for (int y = 0; y < sizePx; y++) {
            int my = (y - margin) / scale;
            boolean inCode = y >= margin && my < width;
            for (int x = 0; x < sizePx; x++) {
                int mx = (x - margin) / scale;
                boolean dark = inCode && x >= margin && mx < width && modules.get(mx, my);
                row[x] = dark ? 0 : 1;
            }
            raster.setPixels(0, y, sizePx, 1, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this Java runtime has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG in memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * @param payload the text to encode, typically {@link QrPayload#encode()}
     * @param sizePx  the {@code width} and {@code height} the SVG asks for, in pixels, {@code > 0}; being vector
     *                graphics it scales to any size
     * @return a standalone SVG document: {@code viewBox="0 0 n n"} with one unit per module ({@code n} counts the
     *     quiet zone), a white background and the dark modules as one path
     * @throws NullPointerException     if {@code payload} is null
     * @throws IllegalArgumentException if {@code payload} is empty or too long for a QR code, or {@code sizePx <= 0}
     */
    public static String svg(String payload, int sizePx) {
        if (sizePx <= 0) {
            throw new IllegalArgumentException("sizePx must be > 0: " + sizePx);
        }
        BitMatrix modules = modules(payload);
        int width = modules.getWidth();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < width; y++) {
            int x = 0;
            while (x < width) {
                if (!modules.get(x, y)) {
                    x++;
                    continue;
                }
                int run = 1;
                while (x + run < width && modules.get(x + run, y)) {
                    run++;
                }
                // One rectangle per horizontal run of dark modules.
                path.append('M').append(x).append(' ').append(y)
                        .append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + sizePx + "\" height=\""
                + sizePx + "\" viewBox=\"0 0 " + width + " " + width + "\" shape-rendering=\"crispEdges\">\n"
                + "<rect width=\"" + width + "\" height=\"" + width + "\" fill=\"#fff\"/>\n"
                + "<path fill=\"#000\" d=\"" + path + "\"/>\n"
                + "</svg>\n";
    }

    /**
     * Finds a QR code in a picture and reads it. Tries hard (slower, finds codes that are small, tilted or
     * unevenly lit); bytes without an ECI header are read as UTF-8, EMVCo's character set.
     *
     * @param imageBytes a picture in a format the JDK's ImageIO reads (PNG, JPEG, GIF, BMP)
     * @return the text of the QR code found, or empty if there is none or it cannot be read; the text is not
     *     checked as a payload (give it to {@link QrPayload#parse(String)})
     * @throws NullPointerException     if {@code imageBytes} is null
     * @throws IllegalArgumentException if the bytes are not a picture ImageIO can read
     */
    public static Optional<String> decode(byte[] imageBytes) {
        Objects.requireNonNull(imageBytes, "imageBytes");
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(imageBytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("imageBytes is not a picture ImageIO can read: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(
                    "imageBytes is not a picture ImageIO can read (" + imageBytes.length + " bytes)");
        }
        return decode(image);
    }

    /**
     * Finds a QR code in a picture already in memory (a camera frame) and reads it, as {@link #decode(byte[])} does.
     *
     * @param image the picture
     * @return the text of the QR code found, or empty if there is none or it cannot be read
     * @throws NullPointerException if {@code image} is null
     */
    public static Optional<String> decode(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.CHARACTER_SET, "UTF-8");
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        try {
            return Optional.of(new QRCodeReader().decode(bitmap, hints).getText());
        } catch (NotFoundException | ChecksumException | FormatException e) {
            return Optional.empty();
        }
    }

    /** @return one bit per module, quiet zone included */
    private static BitMatrix modules(String payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.isEmpty()) {
            throw new IllegalArgumentException("payload must not be empty");
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
        if (!payload.chars().allMatch(c -> c < 0x80)) {
            hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        }
        try {
            // Width and height 0: ZXing draws one pixel per module, which is the matrix itself.
            return new QRCodeWriter().encode(payload, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("payload cannot be a QR code: " + e.getMessage(), e);
        }
    }
}
