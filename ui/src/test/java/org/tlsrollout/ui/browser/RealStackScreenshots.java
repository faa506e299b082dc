package org.tlsrollout.ui.browser;

import com.microsoft.playwright.*;
import com.microsoft.playwright.options.*;
import java.nio.file.*;
import java.util.List;

/**
 * Screenshots of the ui on a running stack (after `./tlsrollout demo`), for docs/screenshots:
 * <pre>
 * mvn -q -pl ui test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp "$(cat ui/target/cp.txt):ui/target/test-classes" org.tlsrollout.ui.browser.RealStackScreenshots \
 *     http://127.0.0.1:8080 "$TLSROLLOUT_OPERATOR_TOKEN" docs/screenshots
 * </pre>
 * Not a test: it needs a stack with an estate in it.
 */
public final class RealStackScreenshots {
    public static void main(String[] a) throws Exception {
        String base = a[0], token = a[1];
        Path out = Path.of(a[2]);
        Files.createDirectories(out);
        try (Playwright pw = Playwright.create()) {
            Browser b = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of("/usr/bin/chromium"))
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage")));
            Page p = b.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900)).newPage();
            p.navigate(base + "/");
            p.waitForTimeout(800);
            p.locator("input").first().fill(token);
            p.keyboard().press("Enter");
            p.waitForTimeout(2500);
            shot(p, out, "overview");
            for (String[] v : new String[][] {{"#/findings", "findings"}, {"#/machines", "machines"}, {"#/waves", "waves"}, {"#/waves/new", "wave-launch"}}) {
                p.navigate(base + "/" + v[0]);
                p.waitForTimeout(2500);
                shot(p, out, v[1]);
            }
            p.navigate(base + "/#/machines");
            p.waitForTimeout(2000);
            p.locator("a[href^='#/machines/']").first().click();
            p.waitForTimeout(2500);
            shot(p, out, "machine");
            b.close();
        }
    }

    static void shot(Page p, Path out, String name) {
        p.screenshot(new Page.ScreenshotOptions().setPath(out.resolve(name + ".png")).setFullPage(true));
        System.out.println("wrote " + out.resolve(name + ".png") + " (" + p.url() + ")");
    }
}
