package io.billing.it;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Chromium, headless, driven by Debian's chromedriver (never a downloaded one: the paths are given,
 * so Selenium Manager has nothing to fetch). One browser session per instance, as one staff member.
 */
final class AdminBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
    /** The repository's docs/images when the build names it (one test run does), so the README's picture stays current. */
    static final String DOCS_IMAGES = System.getProperty("it.docs-images", "");

    private final WebDriver driver;
    private final String base;

    AdminBrowser(String baseUri) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL")); // to see what the CSP blocked
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.base = baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * For a browser test class's start: without Chromium and chromedriver its tests are skipped and say why, except
     * under {@code CI=true}, where they fail.
     */
    static void requireOrSkip() {
        if (!available()) {
            String why = "no Chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver; .ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + ": CI must run the browser tests");
            }
            Assumptions.abort(why);
        }
    }

    void open(String path) {
        driver.get(base + path);
    }

    String currentPath() {
        return driver.getCurrentUrl().substring(base.length());
    }

    void logIn(String user, String password) {
        open("/login.xhtml");
        logInHere(user, password);
    }

    /** Logs in on the login page the browser shows (where an admin page sent it); waits for the page it leads to. */
    void logInHere(String user, String password) {
        type("login:username", user);
        type("login:password", password);
        click("login:submit");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("/login.xhtml"));
    }

    /**
     * Sizes the window so that the page's viewport is {@code width} by {@code height} CSS pixels (what a screen of
     * that size shows of a page), whatever the browser's own frame takes.
     */
    void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long innerWidth = ((Number) script("return window.innerWidth")).longValue();
        long innerHeight = ((Number) script("return window.innerHeight")).longValue();
        driver.manage().window().setSize(new Dimension((int) (2 * width - innerWidth), (int) (2 * height - innerHeight)));
    }

    /** Runs a script in the page and answers its result. */
    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * Pastes what the clipboard holds into the input, as a person would (Ctrl+V), and answers the input's value: the
     * browser's own clipboard, which a page outside a secure context cannot read.
     */
    String pasteInto(String id) {
        WebElement input = byId(id);
        input.clear();
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "v"));
        return input.getAttribute("value");
    }

    /** Waits until the condition on the page holds, for up to 20 s. */
    void await(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition::apply);
    }

    /**
     * Changes the password on the password page, where a login with a password someone else chose lands; waits for
     * the page the change leads to.
     */
    void changePassword(String current, String chosen) {
        type("password:current", current);
        type("password:chosen", chosen);
        type("password:repeated", chosen);
        click("password:save");
    }

    /**
     * What the browser refused to run or load since the last call, because the Content-Security-Policy forbids it
     * (Chromium reports each such refusal on the console).
     */
    List<String> refusedByPolicy() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
    }

    WebElement byId(String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    boolean present(String id) {
        return !driver.findElements(By.id(id)).isEmpty();
    }

    void type(String id, String text) {
        WebElement input = byId(id);
        input.clear();
        input.sendKeys(text);
    }

    /** Clicks and waits for the page the click loads (every action in the admin is a full request). */
    void click(String id) {
        click(byId(id));
    }

    /** As {@link #click(String)}, for an element without an id of its own (a button in a table's row). */
    void click(By by) {
        click(new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by)));
    }

    private void click(WebElement element) {
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (WebDriverException gone) { // stale, or its document is being replaced: the new page loads
                return true;
            }
        });
    }

    /** Makes the window this wide (and 1000 px high), as a narrower screen would show the pages. */
    void width(int pixels) {
        windowSize(pixels, 1000);
    }

    /**
     * Runs a script of the test's in the page, as the browser's developer tools would (not under the page's policy),
     * until it answers something other than null; its answer. For what only a script can see, such as a chart drawn
     * on a canvas.
     */
    Object awaitScript(String script) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> ((JavascriptExecutor) d).executeScript(script));
    }

    /** Runs a script of the test's in the page now; its answer. */
    Object script(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** The window this size (it starts 1400 × 1000 px): a page as another screen shows it. */
    void windowSize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** How high the page is, in CSS pixels, at the window's width: a window this high shows all of it. */
    int pageHeight() {
        return ((Number) script("return document.documentElement.scrollHeight;")).intValue();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #screenshot(String)}, and also as {@code docs/images/<docsName>.png} when the build asks for it. */
    void screenshot(String name, String docsName) {
        screenshot(name);
        if (!DOCS_IMAGES.isBlank()) {
            try {
                Path folder = Files.createDirectories(Path.of(DOCS_IMAGES));
                Files.copy(SCREENSHOTS.resolve(name + ".png"), folder.resolve(docsName + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
