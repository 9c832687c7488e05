package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class QrImagesTest {

    private static final QrMerchant CAFE = QrMerchant.of("MIYAKI-SHOP-0001", "5812", "YUI CAFE", "MIYAKI");
    private static final String DYNAMIC = QrPayload.dynamicCode(CAFE, 1200, "R7Q2M9X4K8P3B6ZD", "TILL-1").encode();
    private static final String JAPANESE = QrPayload.staticCode(CAFE.withJapaneseName("ゆいカフェ𠮷")).encode();

    @Test
    void pngDecodesToThePayload() throws IOException {
        byte[] png = QrImages.png(DYNAMIC, 400);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isEqualTo(400);
        assertThat(QrImages.decode(png)).contains(DYNAMIC);
        assertThat(QrPayload.parse(QrImages.decode(png).orElseThrow()).amount()).hasValue(1200);
    }

    @Test
    void pngOfJapaneseNameDecodesToThePayload() {
        assertThat(QrImages.decode(QrImages.png(JAPANESE, 300))).contains(JAPANESE);
    }

    @Test
    void pngStartsWithThePngSignature() {
        byte[] png = QrImages.png(DYNAMIC, 200);

        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void pngSmallerThanTheCodeOrHugeIsRefused() {
        // "jp.yui" fits version 1: 21 modules and a quiet zone of 4 on each side.
        assertThat(QrImages.png("jp.yui", 29)).isNotEmpty();
        assertThatThrownBy(() -> QrImages.png("jp.yui", 28))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sizePx must be at least the code's 29 modules (quiet zone included): 28");
        assertThatThrownBy(() -> QrImages.png("jp.yui", 4097))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sizePx must be at most 4096: 4097");
    }

    @Test
    void emptyPayloadIsRefused() {
        assertThatThrownBy(() -> QrImages.png("", 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload must not be empty");
    }

    @Test
    void svgIsWellFormedWithOneUnitPerModule() throws Exception {
        String svg = QrImages.svg("jp.yui", 256);

        Element root = parseXml(svg).getDocumentElement();
        assertThat(root.getNodeName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 29 29");
        assertThat(root.getAttribute("width")).isEqualTo("256");
        assertThat(root.getAttribute("height")).isEqualTo("256");
    }

    @Test
    void svgDrawsTheCodeAndLeavesTheQuietZoneEmpty() throws Exception {
        String svg = QrImages.svg(DYNAMIC, 512);

        Element root = parseXml(svg).getDocumentElement();
        String[] viewBox = root.getAttribute("viewBox").split(" ");
        int modules = Integer.parseInt(viewBox[2]);
        assertThat(viewBox).containsExactly("0", "0", viewBox[2], viewBox[2]);
        assertThat((modules - 8 - 17) % 4).as("version 1 to 40 is 17 + 4v modules, plus the quiet zone").isZero();
        Element path = (Element) root.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        boolean[][] dark = modulesOf(path.getAttribute("d"), modules);
        for (int i = 0; i < modules; i++) {
            for (int q = 0; q < 4; q++) {
                assertThat(dark[q][i] || dark[modules - 1 - q][i] || dark[i][q] || dark[i][modules - 1 - q])
                        .as("quiet zone at %d/%d", q, i).isFalse();
            }
        }
        assertThat(QrImages.decode(rasterise(dark, 8))).contains(DYNAMIC);
    }

    @Test
    void svgOfNonPositiveSizeIsRefused() {
        assertThatThrownBy(() -> QrImages.svg(DYNAMIC, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sizePx must be > 0: 0");
    }

    @Test
    void imageWithoutCodeDecodesToEmpty() throws IOException {
        BufferedImage blank = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = blank.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 300);
        g.setColor(Color.BLACK);
        g.drawString("no code here", 100, 150);
        g.dispose();

        assertThat(QrImages.decode(png(blank))).isEmpty();
    }

    @Test
    void tiltedCodeInAJpegPhotoIsFound() throws IOException {
        // 7 pixels a module, as a till's camera sees a code held up to it; tilted, smoothed, JPEG-compressed.
        int size = 399;
        BufferedImage code = ImageIO.read(new ByteArrayInputStream(QrImages.png(DYNAMIC, size)));
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(new Color(200, 190, 170));
        g.fillRect(0, 0, 640, 480);
        AffineTransform tilt = new AffineTransform();
        tilt.translate(320, 240);
        tilt.rotate(Math.toRadians(12));
        tilt.translate(-size / 2.0, -size / 2.0);
        g.drawImage(code, tilt, null);
        g.dispose();

        assertThat(QrImages.decode(jpeg(photo))).contains(DYNAMIC);
    }

    @Test
    void bytesThatAreNoImageAreRefused() {
        assertThatThrownBy(() -> QrImages.decode(DYNAMIC.getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("imageBytes is not a picture ImageIO can read (" + DYNAMIC.length() + " bytes)");
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
    }

    /** Reads back the path's runs, {@code M x y h n v1 h-n z}, into a grid: [row][column]. */
    private static boolean[][] modulesOf(String d, int size) {
        boolean[][] dark = new boolean[size][size];
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z").matcher(d);
        int end = 0;
        while (run.find()) {
            assertThat(run.start()).isEqualTo(end);
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int n = Integer.parseInt(run.group(3));
            assertThat(run.group(4)).isEqualTo(run.group(3));
            for (int i = 0; i < n; i++) {
                dark[y][x + i] = true;
            }
            end = run.end();
        }
        assertThat(end).as("the whole path is runs").isEqualTo(d.length());
        return dark;
    }

    private static byte[] rasterise(boolean[][] dark, int scale) throws IOException {
        int size = dark.length * scale;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, dark[y / scale][x / scale] ? 0x000000 : 0xFFFFFF);
            }
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
