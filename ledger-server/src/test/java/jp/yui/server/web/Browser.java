package jp.yui.server.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through its chromedriver, for the pages' browser tests: the system's browser
 * (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs), never one downloaded by
 * the test. Without a Chromium the tests are skipped with a message saying so; with Chromium but no chromedriver they
 * fail, since that is a broken installation rather than a missing browser.
 *
 * <p>Pages are looked at as a phone ({@value #PHONE_WIDTH} CSS pixels wide) unless a test resizes; screenshots are
 * taken at phone and desktop width into {@code yui.screenshots} (a system property or the {@code YUI_SCREENSHOTS}
 * variable; {@code target/screenshots} by default). The browser speaks Japanese first, as the town's residents do.
 */
final class Browser implements AutoCloseable {

    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    static final int DESKTOP_WIDTH = 1280;
    static final int DESKTOP_HEIGHT = 900;
    /** Screenshots taller than this are cut: a long table need not be a 10,000-pixel picture. */
    static final int MAX_SHOT_HEIGHT = 3_000;

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final URI base;
    private final Path downloads;

    private Browser(ChromeDriver driver, ChromeDriverService service, URI base, Path downloads) {
        this.driver = driver;
        this.service = service;
        this.base = base;
        this.downloads = downloads;
    }

    /** What a test asks of its browser. */
    record Options(Optional<Path> camera) {
        static Options plain() {
            return new Options(Optional.empty());
        }

        /** A browser whose camera shows this Y4M video (see {@link FakeCamera}), as if held up to a QR code. */
        static Options withCamera(Path y4m) {
            return new Options(Optional.of(y4m));
        }
    }

    /**
     * Starts a browser on the server at {@code base}.
     *
     * @throws org.opentest4j.TestAbortedException (skips the test) if there is no Chromium on this machine
     * @throws IllegalStateException if there is Chromium but no chromedriver
     */
    static Browser start(URI base, Options options) {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no Chromium on this machine (looked for $YUI_CHROMIUM, chromium, "
                + "chromium-browser, google-chrome on PATH): the browser tests are skipped; .ci/run installs it with "
                + "apt-get install chromium chromium-driver");
        Path driverBinary = chromedriver().orElseThrow(() -> new IllegalStateException("Chromium is at " + chromium.get()
                + " but no chromedriver was found ($YUI_CHROMEDRIVER, chromedriver on PATH, "
                + "/usr/lib/chromium/chromedriver): apt-get install chromium-driver"));
        Path downloads;
        try {
            downloads = Files.createTempDirectory("yui-web-downloads");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(chromium.get().toFile());
        List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--lang=ja-JP", "--force-device-scale-factor=1", "--hide-scrollbars",
                "--window-size=" + PHONE_WIDTH + "," + PHONE_HEIGHT, "--disable-search-engine-choice-screen",
                "--no-first-run", "--no-default-browser-check"));
        options.camera().ifPresent(video -> {
            args.add("--use-fake-ui-for-media-stream");
            args.add("--use-fake-device-for-media-stream");
            args.add("--use-file-for-fake-video-capture=" + video.toAbsolutePath());
        });
        chrome.addArguments(args);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("intl.accept_languages", "ja,en");
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        chrome.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, chrome);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // Downloads in headless Chromium go where the test can see them only when told so over CDP.
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toAbsolutePath().toString()));
        return new Browser(driver, service, base, downloads);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base.resolve(path).toString());
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The visible text of the page's main content. */
    String mainText() {
        return find("main").getText();
    }

    /**
     * Clicks the button or link whose visible text contains {@code text}. A link or a form's submit button loads
     * another page: the click returns once that page has loaded (Selenium's click does not wait for it).
     */
    void click(String text) {
        click(visible(text));
    }

    /**
     * Clicks {@code target}; when it is a link or a form's submit button, returns once the page it loads has loaded,
     * so that what the test reads next is of that page and not of the old one going away.
     */
    void click(WebElement target) {
        boolean navigates = target.getTagName().equals("a") ? target.getAttribute("href") != null
                : "submit".equals(target.getAttribute("type"));
        if (!navigates) {
            target.click();
            return;
        }
        script("window.yuiTestOldPage = true");
        target.click();
        waitFor(Duration.ofSeconds(20), d -> Boolean.TRUE.equals(script(
                "return window.yuiTestOldPage === undefined && document.readyState === 'complete'")));
    }

    /** Clicks the link whose visible text contains {@code text} to download what it points at: no page loads. */
    void clickToDownload(String text) {
        visible(text).click();
    }

    private WebElement visible(String text) {
        return driver.findElements(By.cssSelector("button, a")).stream()
                .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no visible button or link with \"" + text + "\" on " + path()
                        + ":\n" + mainText()));
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).until(condition);
    }

    /** Waits until the main content shows {@code text}. */
    void waitForText(String text, Duration timeout) {
        waitFor(timeout, d -> d.findElement(By.cssSelector("main")).getText().contains(text));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The session cookie's value (to carry a signed-in person into another browser). */
    String sessionCookie() {
        return driver.manage().getCookieNamed(WebSessions.COOKIE).getValue();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Screenshots of the page as it is, at phone and at desktop width, each as tall as the page (up to
     * {@value #MAX_SHOT_HEIGHT} pixels): {@code <name>-phone.png} and {@code <name>-desktop.png}. The browser is left at
     * phone size.
     */
    void screenshots(String name) {
        shot(name + "-phone", PHONE_WIDTH, PHONE_HEIGHT);
        shot(name + "-desktop", DESKTOP_WIDTH, DESKTOP_HEIGHT);
        resize(PHONE_WIDTH, PHONE_HEIGHT);
    }

    private void shot(String file, int width, int minHeight) {
        resize(width, minHeight);
        // The window is taller than the page's viewport by the browser's own frame, even headless.
        long frame = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
        long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        resize(width, (int) (Math.max(minHeight, Math.min(MAX_SHOT_HEIGHT, height)) + frame));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Path dir = screenshotDir();
            Files.createDirectories(dir);
            Files.write(dir.resolve(file + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save screenshot " + file, e);
        }
    }

    static Path screenshotDir() {
        String dir = System.getProperty("yui.screenshots", System.getenv("YUI_SCREENSHOTS"));
        return dir == null || dir.isBlank() ? Paths.get("target", "screenshots") : Paths.get(dir);
    }

    /** Waits for a finished download whose name starts with {@code prefix}. */
    Path download(String prefix, Duration timeout) {
        return waitFor(timeout, d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                        && !p.getFileName().toString().endsWith(".crdownload")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }

    static Optional<Path> chromium() {
        return executable("YUI_CHROMIUM", List.of("chromium", "chromium-browser", "google-chrome"), List.of());
    }

    static Optional<Path> chromedriver() {
        return executable("YUI_CHROMEDRIVER", List.of("chromedriver"), List.of(Paths.get("/usr/lib/chromium/chromedriver"),
                Paths.get("/usr/bin/chromedriver")));
    }

    private static Optional<Path> executable(String variable, List<String> names, List<Path> extra) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return extra.stream().filter(Files::isExecutable).findFirst();
    }
}
