package org.tlsrollout.ui.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, driven by Playwright for Java, with no browser download. A missing or broken Chromium fails
 * the tests with what to install; they are never skipped.
 */
final class Chromium implements AutoCloseable {
    static final String INSTALL = "apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation";
    /** Without the background-networking flags, Chromium's own connections (updates, sync) are refused here and it stalls. */
    static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");

    final Playwright playwright;
    final Browser browser;
    final Path screenshots;

    private Chromium(Playwright playwright, Browser browser, Path screenshots) {
        this.playwright = playwright;
        this.browser = browser;
        this.screenshots = screenshots;
    }

    static Chromium launch() {
        Path executable = Paths.get(System.getProperty("tlsrollout.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("The browser tests need Chromium at " + executable + " and it is not there. Install it: "
                    + INSTALL + " (or point -Dtlsrollout.chromium at a Chromium binary).");
        }
        Path screenshots = Paths.get(System.getProperty("tlsrollout.screenshots", "target/screenshots")).toAbsolutePath();
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the screenshot folder " + screenshots, e);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable)
                    .setHeadless(true)
                    .setArgs(ARGS)
                    .setTimeout(60_000));
            return new Chromium(playwright, browser, screenshots);
        } catch (PlaywrightException e) {
            playwright.close();
            throw new IllegalStateException("Chromium at " + executable + " does not start under Playwright. Reinstall it ("
                    + INSTALL + "); Playwright said: " + e.getMessage(), e);
        }
    }

    /** A full-page PNG, kept as test output (tlsrollout.screenshots, default ui/target/screenshots). */
    Path screenshot(Page page, String name) {
        Path file = screenshots.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
