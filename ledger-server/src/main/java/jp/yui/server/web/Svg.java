package jp.yui.server.web;

/** Server-drawn SVG (QR codes from merchant-sdk's {@code QrImages}) made fit to sit inside a page. */
final class Svg {

    private Svg() {
    }

    /**
     * The SVG document without its XML declaration and hidden from screen readers: the element around it names the
     * picture ({@code role="img"} and a label), since a QR code's modules mean nothing read aloud.
     *
     * @throws IllegalArgumentException if {@code svg} is not an SVG document
     */
    static String inline(String svg) {
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalArgumentException("not an SVG document: " + svg.substring(0, Math.min(40, svg.length())));
        }
        return "<svg aria-hidden=\"true\" focusable=\"false\"" + svg.substring(start + "<svg".length()).strip();
    }
}
