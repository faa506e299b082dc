package org.tlsrollout.ui.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tlsrollout.ui.fake.FakeRemediation;
import org.tlsrollout.ui.fake.FakeRemediation.Recorded;
import org.tlsrollout.ui.fake.FakeRemediationResource;
import org.tlsrollout.ui.fake.InjectFake;

/**
 * The operator's page in headless Chromium, against the ui with its proxy pointed at a fake remediation-service.
 * Each test keeps screenshots of the pages it visits (ui/target/screenshots, or -Dtlsrollout.screenshots).
 */
@QuarkusTest
@QuarkusTestResource(FakeRemediationResource.class)
class OperatorPageTest {
    private static Chromium chromium;

    @TestHTTPResource("/")
    URL root;

    @InjectFake
    FakeRemediation fake;

    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private final List<String> foreignRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startChromium() {
        chromium = Chromium.launch();
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openPage() {
        fake.reset();
        context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900).setLocale("en-US"));
        context.setDefaultTimeout(15_000);
        page = context.newPage();
        String origin = root.toString().replaceAll("/$", "");
        page.onPageError(error -> pageErrors.add(error));
        page.onRequest(request -> {
            String url = request.url();
            if (!url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("blob:" + origin + "/")) {
                foreignRequests.add(url);
            }
        });
    }

    @AfterEach
    void closePage() {
        try {
            Assertions.assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
            Assertions.assertThat(foreignRequests).as("requests that left the ui's origin (the page must fetch nothing from outside)").isEmpty();
        } finally {
            context.close();
        }
    }

    // ---- sign in

    @Test
    void aBadTokenIsRefusedWithTheReason() {
        page.navigate(root.toString());
        assertThat(page).hasURL(Pattern.compile("#/signin$"));
        assertThat(page.getByLabel("Access token")).isFocused();
        chromium.screenshot(page, "01-sign-in");

        page.getByLabel("Access token").fill("not-a-token");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        Locator problem = page.locator(".signin .problem");
        assertThat(problem).containsText("This token was refused");
        assertThat(problem).containsText("Unauthorized");
        assertThat(problem).containsText("HTTP 401");
        assertThat(problem).containsText("the bearer token is not valid");
        assertThat(page.getByLabel("Access token")).hasAttribute("aria-invalid", "true");
        assertThat(page).hasURL(Pattern.compile("#/signin$"));
        Assertions.assertThat(page.evaluate("sessionStorage.getItem('tlsrollout.token')")).isNull();
        chromium.screenshot(page, "02-sign-in-refused");
    }

    @Test
    void anOperatorSeesProgressAsBarsWithCountsAndALegend() {
        signIn(FakeRemediation.OPERATOR_TOKEN);

        assertThat(page.locator("#role")).hasText("Operator");
        assertThat(page.locator("#grafana")).hasAttribute("href", FakeRemediationResource.GRAFANA_URL);
        assertThat(page.locator(".view-subtitle")).containsText("6,350 machines in 4 sites");

        // the estate, phase by phase: CLIENTS compliant = 2,050 + 1,850 + 620 + 618
        Locator clients = page.locator(".phase-row[data-phase=CLIENTS]");
        assertThat(clients.locator(".counts li[data-state=COMPLIANT] strong")).hasText("5,138");
        assertThat(clients.locator(".counts li[data-state=NONCOMPLIANT] strong")).hasText("770");
        assertThat(clients.locator(".big")).hasText("83%");
        assertThat(page.locator(".phase-row .bar")).hasCount(4);

        // one bar per site and phase, stacked by state
        assertThat(page.locator(".sites-table tbody tr")).hasCount(4);
        assertThat(page.locator(".sites-table .phase-cell .bar")).hasCount(16);
        Locator nycClients = page.locator(".sites-table tr[data-site=NYC] td[data-phase=CLIENTS]");
        assertThat(nycClients.locator(".seg[data-state=COMPLIANT]")).hasAttribute("data-count", "2050");
        assertThat(nycClients.locator(".seg[data-state=NONCOMPLIANT]")).hasAttribute("data-count", "212");
        assertThat(nycClients.locator(".seg[data-state=COMPLIANT]")).hasText("2,050");
        assertThat(nycClients.locator(".bar-caption")).hasText("2,110 / 2,480 ready");
        assertThat(nycClients.locator(".bar")).hasAttribute("aria-label", Pattern.compile("NYC, Clients: Compliant 2,050, Not applicable 60, Noncompliant 212"));
        assertThat(page.locator(".sites-table").locator("xpath=ancestor::section[1]").locator(".legend li")).hasCount(6);
        assertThat(page.locator(".legend").first()).containsText("Pending restart");
        chromium.screenshot(page, "03-overview");

        // a segment drills down to the machines in that state
        nycClients.locator(".seg[data-state=NONCOMPLIANT]").click();
        assertThat(page).hasURL(Pattern.compile("#/machines\\?site=NYC&phase=CLIENTS&state=NONCOMPLIANT$"));
        assertThat(page.locator(".machines-table tbody tr")).hasCount(50);
    }

    @Test
    void theOverviewFollowsTheEstateWithoutReloading() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        Locator nycClients = page.locator(".sites-table tr[data-site=NYC] td[data-phase=CLIENTS]");
        assertThat(nycClients.locator(".seg[data-state=NONCOMPLIANT]")).hasAttribute("data-count", "212");
        page.evaluate("window.__sameDocument = 'yes'");

        fake.setCount("NYC", "CLIENTS", "NONCOMPLIANT", 12);
        fake.setCount("NYC", "CLIENTS", "COMPLIANT", 2250);

        assertThat(nycClients.locator(".seg[data-state=NONCOMPLIANT]")).hasAttribute("data-count", "12");
        assertThat(nycClients.locator(".bar-caption")).hasText("2,310 / 2,480 ready");
        Assertions.assertThat(page.evaluate("window.__sameDocument")).isEqualTo("yes");
    }

    @Test
    void aTokenRefusedLaterSendsTheUserBackToSignIn() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.evaluate("sessionStorage.setItem('tlsrollout.token', 'revoked-token')");

        assertThat(page).hasURL(Pattern.compile("#/signin$"));
        assertThat(page.locator(".signin .problem")).containsText("Signed out: the token was refused");
        assertThat(page.locator("#topbar")).isHidden();
    }

    // ---- viewers

    @Test
    void aViewerSeesNoOperatorButtons() {
        signIn(FakeRemediation.VIEWER_TOKEN);
        assertThat(page.locator("#role")).hasText("Viewer · read only");

        page.locator("[data-nav=waves]").click();
        assertThat(page.locator(".wave")).hasCount(4);
        assertThat(page.locator(".wave[data-wave=w-0002] .wave-state")).hasText("Running");
        assertThat(page.locator("button[data-action]")).hasCount(0);
        assertThat(page.locator(".wave-actions")).hasCount(0);
        assertThat(page.locator("#launch-link")).hasCount(0);
        assertThat(page.getByText("Launch a wave")).hasCount(0);
        chromium.screenshot(page, "10-waves-viewer");

        page.navigate(root + "#/waves/new");
        assertThat(page.locator("h1")).hasText("Launch a wave");
        assertThat(page.locator(".empty")).containsText("Launching waves needs the operator role");
        assertThat(page.locator("#wave-name")).hasCount(0);
        assertThat(page.locator("#launch")).hasCount(0);

        // machines: the flags show, retiring does not
        page.navigate(root + "#/machines");
        assertThat(page.locator(".machines-table tbody tr")).hasCount(50);
        assertThat(page.locator(".machines-table tr[data-machine=NYC-PC-0028] .badge-never-reported")).hasText("Never reported");
        assertThat(page.locator("button[data-action=retire]")).hasCount(0);
        page.navigate(root + "#/machines/NYC-PC-0028");
        assertThat(page.locator(".machine-flags .badge-never-reported")).isVisible();
        assertThat(page.locator("#retire-machine")).hasCount(0);
        Assertions.assertThat(fake.requests()).noneMatch(r -> r.method().equals("POST"));
    }

    // ---- findings, machines, one machine

    @Test
    void findingsDrillDownToMachinesAndToOneMachine() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.locator("[data-nav=findings]").click();
        assertThat(page.locator("h1")).hasText("Findings by rule");
        Locator row = page.locator(".findings-table tr[data-rule=DOTNET_STRONG_CRYPTO]");
        assertThat(row.locator("a[data-status=FAIL]")).containsText("612");
        assertThat(row).containsText(".NET SchUseStrongCrypto set to 1");
        assertThat(page.locator(".findings-table tr[data-rule=TLS12_HANDSHAKE] a[data-status=UNKNOWN]")).containsText("372");
        chromium.screenshot(page, "04-findings");

        page.locator("#findings-site").selectOption("NYC");
        assertThat(page).hasURL(Pattern.compile("#/findings\\?site=NYC$"));
        assertThat(page.locator(".findings-table tr[data-rule=DOTNET_STRONG_CRYPTO] a[data-status=FAIL]")).containsText("153");
        Assertions.assertThat(fake.last("GET", "/api/v1/findings").orElseThrow().query()).isEqualTo("site=NYC");

        page.locator(".findings-table tr[data-rule=DOTNET_STRONG_CRYPTO] a[data-status=FAIL]").click();
        assertThat(page).hasURL(Pattern.compile("#/machines\\?rule=DOTNET_STRONG_CRYPTO&status=FAIL&site=NYC$"));
        assertThat(page.locator(".filter-chips")).containsText("Failing DOTNET_STRONG_CRYPTO");
        assertThat(page.locator(".machines-table tbody tr")).hasCount(50);
        assertThat(page.locator(".pager-range")).hasText("1–50 of 137");
        Assertions.assertThat(fake.last("GET", "/api/v1/machines").orElseThrow().query())
                .isEqualTo("rule=DOTNET_STRONG_CRYPTO&status=FAIL&site=NYC&page=0&size=50");
        chromium.screenshot(page, "05-machines");

        page.locator("a[rel=next]").click();
        assertThat(page.locator(".pager-range")).hasText("51–100 of 137");

        page.locator(".machines-table tbody tr").first().locator("a").click();
        assertThat(page).hasURL(Pattern.compile("#/machines/NYC-PC-0057$"));
        assertThat(page.locator("h1")).hasText("NYC-PC-0057");
        assertThat(page.locator(".phase-states li[data-phase=CLIENTS] .chip")).hasText("Noncompliant");
        Locator finding = page.locator(".findings-detail tr[data-rule=DOTNET_STRONG_CRYPTO]");
        assertThat(finding).containsText("SchUseStrongCrypto is not 1 in HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319");
        assertThat(finding.locator(".actions-list li").first()).hasText("Set SchUseStrongCrypto = 1 (0x1)in HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319");
        assertThat(finding.locator(".actions-list li")).hasCount(3);
        assertThat(finding).containsText("How to enable TLS 1.2 for Configuration Manager");
        assertThat(finding.locator(".sources li")).hasCount(3);
        assertThat(page.locator(".findings-detail tr[data-rule=TLS12_HANDSHAKE]")).containsText("Unknown");
        assertThat(page.locator(".jobs-table tbody tr")).hasCount(2);
        assertThat(page.locator(".jobs-table tr[data-job=j-7f3a91]")).containsText("exit code 1603");
        assertThat(page.locator(".jobs-table tr[data-job=j-8c21d0]")).containsText("not yet");
        chromium.screenshot(page, "06-machine");
    }

    // ---- never reported, retired, CSV

    @Test
    void neverReportedAndRetiredMachinesStandOutAndFilter() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.locator("[data-nav=machines]").click();
        Locator never = page.locator(".machines-table tr[data-machine=NYC-PC-0028]");
        assertThat(never).hasAttribute("data-never-reported", "true");
        assertThat(never.locator(".badge-never-reported")).hasText("Never reported");
        assertThat(never.locator("td").nth(2)).hasText("never");
        assertThat(never.locator("button[data-action=retire]")).isVisible();
        Locator retired = page.locator(".machines-table tr[data-machine=NYC-PC-0040]");
        assertThat(retired).hasAttribute("data-retired", "true");
        assertThat(retired).hasClass(Pattern.compile("\\bis-retired\\b"));
        assertThat(retired.locator(".badge-retired")).hasText("Retired");
        assertThat(retired.locator("button[data-action=retire]")).hasCount(0);
        assertThat(page.locator(".machines-table .badge")).hasCount(2);
        assertThat(page.locator("button[data-action=retire]")).hasCount(49);
        chromium.screenshot(page, "14-machines-flags");

        page.locator("#f-never-reported").selectOption("true");
        page.locator(".filters button[type=submit]").click();
        assertThat(page).hasURL(Pattern.compile("#/machines\\?neverReported=true$"));
        assertThat(page.locator(".filter-chip[data-filter=neverReported]")).containsText("Never reported");
        assertThat(page.locator(".pager-range")).hasText("1–50 of 62");
        assertThat(page.locator(".machines-table tbody tr[data-never-reported=true]")).hasCount(50);
        Assertions.assertThat(fake.last("GET", "/api/v1/machines").orElseThrow().query()).isEqualTo("neverReported=true&page=0&size=50");

        page.locator(".filter-chip[data-filter=neverReported] a").click();
        assertThat(page).hasURL(Pattern.compile("#/machines$"));
        assertThat(page.locator(".filter-chip")).hasCount(0);
        page.locator("#f-retired").selectOption("true");
        page.locator(".filters button[type=submit]").click();
        assertThat(page).hasURL(Pattern.compile("#/machines\\?retired=true$"));
        assertThat(page.locator(".filter-chip[data-filter=retired]")).containsText("Retired");
        assertThat(page.locator(".machines-table tbody tr[data-retired=true]")).hasCount(50);
        assertThat(page.locator("button[data-action=retire]")).hasCount(0);
        Assertions.assertThat(fake.last("GET", "/api/v1/machines").orElseThrow().query()).isEqualTo("retired=true&page=0&size=50");
    }

    @Test
    void anOperatorRetiresAMachineAfterSeeingWhatItDoesToTheGate() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.navigate(root + "#/machines");
        Locator row = page.locator(".machines-table tr[data-machine=NYC-PC-0028]");
        row.locator("button[data-action=retire]").click();
        assertThat(page.locator("#confirm")).isVisible();
        assertThat(page.locator("#confirm-title")).hasText("Retire NYC-PC-0028?");
        assertThat(page.locator("#confirm-text")).containsText("The machine leaves progress, the orphan gate and every wave:"
                + " DISABLE_LEGACY may then proceed at site NYC without it.");
        assertThat(page.locator("#confirm-text")).containsText("A later snapshot from it");
        chromium.screenshot(page, "15-retire-confirm");
        page.locator("#confirm-no").click();
        Assertions.assertThat(fake.last("POST", "/api/v1/machines/NYC-PC-0028/retire")).isEmpty();

        row.locator("button[data-action=retire]").click();
        page.locator("#confirm-yes").click();
        assertThat(page.locator(".notice-ok")).containsText("NYC-PC-0028 retired");
        assertThat(row.locator(".badge-retired")).hasText("Retired");
        assertThat(row.locator("button[data-action=retire]")).hasCount(0);
        Recorded retire = fake.last("POST", "/api/v1/machines/NYC-PC-0028/retire").orElseThrow();
        Assertions.assertThat(retire.authorization()).isEqualTo("Bearer " + FakeRemediation.OPERATOR_TOKEN);
        Assertions.assertThat(fake.retired()).containsExactly("NYC-PC-0028");

        // the gate no longer counts it
        page.navigate(root + "#/waves/new");
        page.getByLabel("Name").fill("NYC legacy protocols off");
        page.getByLabel("Phase").selectOption("DISABLE_LEGACY");
        page.locator("#site-NYC").check();
        page.locator("#preview").click();
        assertThat(page.locator("#gate-status tr[data-phase=NEVER_REPORTED] td")).hasText("0");
        assertThat(page.locator("#gate-status tr[data-phase=TOTAL] td")).hasText("4");
        assertThat(page.locator("#never-reported-hint")).hasCount(0);

        // and one machine's page retires too
        page.navigate(root + "#/machines/NYC-PC-0068");
        assertThat(page.locator(".machine-flags .badge-never-reported")).hasText("Never reported");
        assertThat(page.locator(".machine-summary")).containsText("never");
        page.locator("#retire-machine").click();
        assertThat(page.locator("#confirm-text")).containsText("the orphan gate");
        page.locator("#confirm-yes").click();
        assertThat(page.locator(".machine-flags .badge-retired")).hasText("Retired");
        assertThat(page.locator("#retire-machine")).hasCount(0);
        Assertions.assertThat(fake.retired()).containsExactly("NYC-PC-0028", "NYC-PC-0068");
    }

    @Test
    void theMachinesListExportsAsCsvWithItsFilters() throws Exception {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.navigate(root + "#/machines?site=LON&neverReported=true");
        assertThat(page.locator(".pager-range")).hasText("1–50 of 62");

        Download download = page.waitForDownload(() -> page.locator("#export-csv").click());
        Assertions.assertThat(download.suggestedFilename()).matches("machines-\\d{4}-\\d{2}-\\d{2}T\\d{6}Z\\.csv");
        List<String> lines = Files.readAllLines(download.path());
        Assertions.assertThat(lines.get(0)).isEqualTo(FakeRemediation.MACHINES_CSV_HEADER);
        Assertions.assertThat(lines.subList(1, lines.size())).hasSize(62).allSatisfy(l -> Assertions.assertThat(l).startsWith("LON-").contains(",true,false,"));
        // the page reloads the list every few seconds: the export is the request that asked for CSV
        List<Recorded> csv = fake.requests().stream()
                .filter(r -> r.path().equals("/api/v1/machines") && r.accept() != null && r.accept().startsWith("text/csv")).toList();
        Assertions.assertThat(csv).hasSize(1);
        Recorded sent = csv.get(0);
        Assertions.assertThat(sent.query()).as("every page: the filters without page and size").isEqualTo("site=LON&neverReported=true");
        Assertions.assertThat(sent.authorization()).isEqualTo("Bearer " + FakeRemediation.OPERATOR_TOKEN);
        assertThat(page.locator("#export-csv")).hasText("Export CSV");

        // a refused export says why
        page.navigate(root + "#/machines?retired=maybe");
        page.locator("#export-csv").click();
        Locator problem = page.locator(".notices .problem");
        assertThat(problem).containsText("Could not export the machines");
        assertThat(problem.locator(".problem-errors li")).hasText("retired 'maybe' is not true or false");
    }

    // ---- waves

    @Test
    void aDryRunShowsTheTargetsAndTheGateThenTheWaveLaunches() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.locator("[data-nav=waves]").click();
        page.locator("#launch-link").click();
        assertThat(page.locator("h1")).hasText("Launch a wave");

        page.getByLabel("Name").fill("FRA clients, batch 2");
        page.getByLabel("Phase").selectOption("CLIENTS");
        page.locator("#site-FRA").check();
        page.locator("#batch-value").fill("100");
        page.locator("#preview").click();

        assertThat(page.locator("#plan-targeted")).hasText("600");
        assertThat(page.locator(".result-plan")).containsText("6");
        assertThat(page.locator("#gate-status")).hasAttribute("data-open", "true");
        assertThat(page.locator("#gate-status")).containsText("Orphan gate open");
        JsonObject sent = new JsonObject(fake.last("POST", "/api/v1/waves").orElseThrow().body());
        Assertions.assertThat(sent.getBoolean("dryRun")).isTrue();
        Assertions.assertThat(sent.getString("name")).isEqualTo("FRA clients, batch 2");
        Assertions.assertThat(sent.getString("phase")).isEqualTo("CLIENTS");
        Assertions.assertThat(sent.getJsonArray("sites").getList()).containsExactly("FRA");
        Assertions.assertThat(sent.getInteger("batchSize")).isEqualTo(100);
        Assertions.assertThat(sent.getDouble("maxFailureRate")).isEqualTo(0.05);
        Assertions.assertThat(sent.getBoolean("acknowledgeStale")).isFalse();
        Assertions.assertThat(sent.getJsonObject("selector").encode()).isEqualTo("{\"roles\":[],\"osVersions\":[]}");
        Assertions.assertThat(fake.requests()).filteredOn(r -> r.method().equals("POST")).hasSize(1);
        chromium.screenshot(page, "07-wave-dry-run");

        page.locator("#launch").click();
        assertThat(page.locator("#confirm")).isVisible();
        assertThat(page.locator("#confirm-text")).containsText("600 machines in 6 batches");
        page.locator("#confirm-yes").click();

        assertThat(page).hasURL(Pattern.compile("#/waves\\?highlight=w-0005$"));
        assertThat(page.locator(".notice-ok")).containsText("FRA clients, batch 2");
        Locator created = page.locator(".wave[data-wave=w-0005]");
        assertThat(created.locator("h2")).hasText("FRA clients, batch 2");
        assertThat(created.locator(".wave-state")).hasText("Running");
        assertThat(created.locator(".wave-counts [data-count=targeted] dd")).hasText("600");
        JsonObject launched = new JsonObject(fake.last("POST", "/api/v1/waves").orElseThrow().body());
        Assertions.assertThat(launched.getBoolean("dryRun")).isFalse();
    }

    @Test
    void aDisableLegacyWaveRefusedByTheOrphanGateShowsWhy() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.navigate(root + "#/waves/new");
        page.getByLabel("Name").fill("NYC legacy protocols off");
        page.getByLabel("Phase").selectOption("DISABLE_LEGACY");
        page.locator("#site-NYC").check();

        page.locator("#preview").click();
        assertThat(page.locator("#gate-status")).hasAttribute("data-open", "false");
        assertThat(page.locator("#gate-status")).containsText("Orphan gate closed: 5 machines would be orphaned");
        assertThat(page.locator("#gate-status tr[data-phase=NEVER_REPORTED] td")).hasText("1");
        assertThat(page.locator("#gate-status #never-reported-hint")).containsText("1 of them has never reported");
        chromium.screenshot(page, "08-wave-gate-closed");

        page.locator("#launch").click();
        page.locator("#confirm-yes").click();

        Locator refused = page.locator("[data-result=refused]");
        assertThat(refused).containsText("The orphan gate refused this wave");
        assertThat(refused).containsText("HTTP 409");
        assertThat(refused).containsText("Orphan gate closed");
        assertThat(refused).containsText("5 machines of NYC are not ready in CLIENTS, SITE_SYSTEMS and VERIFY");
        assertThat(refused.locator("tr[data-phase=CLIENTS] td")).hasText("2");
        assertThat(refused.locator("tr[data-phase=SITE_SYSTEMS] td")).hasText("0");
        assertThat(refused.locator("tr[data-phase=VERIFY] td")).hasText("1");
        assertThat(refused.locator("tr[data-phase=STALE] td")).hasText("1");
        assertThat(refused.locator("tr[data-phase=NEVER_REPORTED] th")).hasText("Never reported (known from inventory)");
        assertThat(refused.locator("tr[data-phase=NEVER_REPORTED] td")).hasText("1");
        assertThat(refused.locator("tr[data-phase=TOTAL] td")).hasText("5");
        assertThat(refused.locator(".id-list a")).hasText(new String[] {"NYC-PC-0007", "NYC-PC-0142", "NYC-SRV-0003", "NYC-PC-2301", "NYC-PC-0028"});
        assertThat(refused.locator(".hint-box").first()).containsText("Acknowledge stale machines");
        Locator neverHint = refused.locator("#never-reported-hint");
        assertThat(neverHint).containsText("1 of them has never reported: known from inventory");
        assertThat(neverHint).containsText("acknowledging stale machines does not lift that");
        assertThat(neverHint.locator("a")).hasAttribute("href", "#/machines?site=NYC&neverReported=true");
        chromium.screenshot(page, "09-wave-refused");

        refused.locator(".id-list a", new Locator.LocatorOptions().setHasText("NYC-PC-0142")).click();
        assertThat(page).hasURL(Pattern.compile("#/machines/NYC-PC-0142$"));
        assertThat(page.locator("h1")).hasText("NYC-PC-0142");
    }

    @Test
    void pauseResumeAndCancelCallTheApi() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.locator("[data-nav=waves]").click();
        Locator running = page.locator(".wave[data-wave=w-0002]");
        assertThat(running.locator(".wave-state")).hasText("Running");
        assertThat(page.locator(".wave[data-wave=w-0003] .wave-halt-reason")).containsText("6 of 20 reported jobs failed");
        chromium.screenshot(page, "11-waves");

        running.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause FRA clients")).click();
        assertThat(running.locator(".wave-state")).hasText("Paused");
        assertThat(page.locator(".notice-ok")).containsText("Wave “FRA clients” paused.");
        Recorded pause = fake.last("POST", "/api/v1/waves/w-0002/pause").orElseThrow();
        Assertions.assertThat(pause.authorization()).isEqualTo("Bearer " + FakeRemediation.OPERATOR_TOKEN);
        Assertions.assertThat(fake.waveState("w-0002")).isEqualTo("PAUSED");

        running.locator("button[data-action=resume]").click();
        assertThat(running.locator(".wave-state")).hasText("Running");
        Assertions.assertThat(fake.last("POST", "/api/v1/waves/w-0002/resume")).isPresent();

        // cancel asks first; "Keep it" sends nothing
        page.locator(".wave[data-wave=w-0004] button[data-action=cancel]").click();
        assertThat(page.locator("#confirm")).isVisible();
        assertThat(page.locator("#confirm-title")).hasText("Cancel wave “SGP verify”?");
        page.locator("#confirm-no").click();
        assertThat(page.locator("#confirm")).isHidden();
        Assertions.assertThat(fake.last("POST", "/api/v1/waves/w-0004/cancel")).isEmpty();

        // an action the backend refuses shows its problem details
        fake.stop();
        try {
            page.locator(".wave[data-wave=w-0003] button[data-action=resume]").click();
            Locator problem = page.locator(".notices .problem");
            assertThat(problem).containsText("Could not resume wave “LON site systems”");
            assertThat(problem).containsText("remediation-service is unavailable");
            assertThat(problem).containsText("HTTP 502");
        } finally {
            fake.start();
        }
    }

    // ---- audit trail

    @Test
    void theAuditTrailListsActionsNewestFirstAndFiltersByWhoAndWhat() {
        signIn(FakeRemediation.VIEWER_TOKEN);
        page.locator("[data-nav=audit]").click();
        assertThat(page).hasURL(Pattern.compile("#/audit$"));
        assertThat(page.locator("h1")).hasText("Audit trail");

        // the first page: 50 of the 57, the newest (bob pausing SGP verify a minute ago) first
        Locator rows = page.locator(".audit-table tbody tr");
        assertThat(rows).hasCount(50);
        assertThat(page.locator(".pager-range")).hasText("1–50 of " + FakeRemediation.AUDIT_SEED);
        assertThat(rows.first()).hasAttribute("data-action", "WAVE_PAUSE");
        assertThat(rows.first().locator("th")).hasText("bob");
        assertThat(rows.first()).containsText("Wave paused");
        assertThat(rows.first().locator("a")).hasAttribute("href", "#/waves?highlight=w-0004");
        assertThat(rows.nth(1)).hasAttribute("data-action", "WAVE_CREATE");
        Locator refused = page.locator(".audit-table tr[data-outcome=REFUSED]").first();
        assertThat(refused.locator(".badge-refused")).hasText("Refused 409");
        assertThat(refused).containsText("the orphan gate is closed");
        Recorded first = fake.last("GET", "/api/v1/audit").orElseThrow();
        Assertions.assertThat(first.query()).isEqualTo("page=0&size=50");
        chromium.screenshot(page, "16-audit");

        // the last page holds the 7 oldest
        page.locator(".pager a[rel=next]").click();
        assertThat(page).hasURL(Pattern.compile("#/audit\\?page=1$"));
        assertThat(rows).hasCount(FakeRemediation.AUDIT_SEED - 50);
        assertThat(page.locator(".pager-range")).hasText("51–57 of 57");

        // who and what: alice's retirements only, asked of the API, not filtered in the page
        page.getByLabel("Who", new Page.GetByLabelOptions().setExact(true)).fill("alice");
        page.getByLabel("Action", new Page.GetByLabelOptions().setExact(true)).selectOption("MACHINE_RETIRE");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
        assertThat(page).hasURL(Pattern.compile("#/audit\\?actor=alice&action=MACHINE_RETIRE$"));
        assertThat(rows).hasCount(11);
        for (Locator row : rows.all()) {
            assertThat(row).hasAttribute("data-action", "MACHINE_RETIRE");
            assertThat(row.locator("th")).hasText("alice");
        }
        Assertions.assertThat(fake.last("GET", "/api/v1/audit").orElseThrow().query())
                .isEqualTo("actor=alice&action=MACHINE_RETIRE&page=0&size=50");
        assertThat(page.locator(".filter-chip[data-filter=actor]")).containsText("alice");
        chromium.screenshot(page, "17-audit-filtered");

        // a filter nothing matches says so
        page.locator(".filter-chip[data-filter=action] a").click();
        assertThat(page.locator(".filter-chip[data-filter=action]")).hasCount(0);
        page.getByLabel("Who", new Page.GetByLabelOptions().setExact(true)).fill("nobody");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
        assertThat(page.locator(".empty")).containsText("No action matches");
        assertThat(page.locator(".pager-range")).hasText("No actions");
    }

    // ---- errors

    @Test
    void apiErrorsAreShownWithEveryInvalidField() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        page.navigate(root + "#/waves/new");
        page.locator("#batch-value").fill("50000");
        page.locator("#preview").click();

        Locator problem = page.locator(".launch-result .problem");
        assertThat(problem).containsText("The preview was refused");
        assertThat(problem).containsText("Invalid wave");
        assertThat(problem).containsText("HTTP 400");
        assertThat(problem).containsText("3 fields are invalid");
        assertThat(problem.locator(".problem-errors li")).hasText(new String[] {
                "/name must not be blank", "/sites name at least one site", "/batchSize must be from 1 to 10000"});
        assertThat(page.locator(".field[data-field=name] .field-error")).hasText("must not be blank");
        assertThat(page.locator(".field[data-field=batch] .field-error")).hasText("must be from 1 to 10000");
        assertThat(page.locator("#wave-name")).hasAttribute("aria-invalid", "true");
        assertThat(page.locator("#wave-name")).isFocused();
        chromium.screenshot(page, "12-wave-invalid");

        // a GET the backend refuses
        page.navigate(root + "#/machines?state=UNKNOWN");
        Locator loadProblem = page.locator(".view-errors .problem");
        assertThat(loadProblem).containsText("Could not load this view");
        assertThat(loadProblem).containsText("invalid query parameters");
        assertThat(loadProblem.locator(".problem-errors li")).hasText("state state filters the state of one phase: give phase too");
    }

    @Test
    void aDownBackendIsShownAndTheViewRecovers() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        fake.stop();
        try {
            page.locator("[data-nav=findings]").click();
            Locator problem = page.locator(".view-errors .problem");
            assertThat(problem).containsText("remediation-service is unavailable");
            assertThat(problem).containsText("HTTP 502");
            assertThat(problem).containsText(fake.url());
            assertThat(page.locator("#live")).hasAttribute("data-state", "error");
            chromium.screenshot(page, "13-backend-down");
        } finally {
            fake.start();
        }
        assertThat(page.locator(".view-errors .problem")).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(15_000));
        assertThat(page.locator(".findings-table")).isVisible();
        assertThat(page.locator("#live")).hasAttribute("data-state", "live");
    }

    @Test
    void everyControlHasALabel() {
        signIn(FakeRemediation.OPERATOR_TOKEN);
        for (String view : List.of("#/overview", "#/findings", "#/machines", "#/waves", "#/waves/new")) {
            page.navigate(root + view);
            assertThat(page.locator("h1")).isVisible();
            assertThat(page.locator(".loading")).hasCount(0);
            Object unlabelled = page.evaluate("[...document.querySelectorAll('input, select, textarea')]"
                    + ".filter(e => !e.closest('[hidden]') && e.type !== 'hidden')"
                    + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))"
                    + ".map(e => e.outerHTML)");
            Assertions.assertThat((List<?>) unlabelled).as("controls without a label on " + view).isEmpty();
        }
    }

    private void signIn(String token) {
        page.navigate(root + "#/signin");
        page.getByLabel("Access token").fill(token);
        page.getByLabel("Access token").press("Enter");
        assertThat(page).hasURL(Pattern.compile("#/overview$"));
        assertThat(page.locator("h1")).hasText("Rollout progress");
        assertThat(page.locator(".sites-table")).isVisible();
    }
}
