// End-to-end test of the console in a real browser (Debian's Chromium,
// driven by playwright-core), run by internal/server/console_test.go
// against a real control process and a real PostgreSQL. Each step
// saves a screenshot under $SCREENSHOTS. Exits non-zero on the first
// failure, saying which step failed.
//
// Environment: HOTDATA_URL, HOTDATA_TOKEN, PG_HOST, PG_PORT, PG_USER,
// PG_DATABASE, CSV_FILE, EXPECT (JSON: {"orders": [[...]...], "csv": [[...]]}),
// SCREENSHOTS, CHROMIUM (default /usr/bin/chromium).
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const env = (k, d) => {
  const v = process.env[k] ?? d;
  if (v === undefined) throw new Error(`${k} is not set`);
  return v;
};
const base = env("HOTDATA_URL");
const shots = env("SCREENSHOTS");
const expect = JSON.parse(env("EXPECT"));
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: env("CHROMIUM", "/usr/bin/chromium"),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const consoleErrors = [];
page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
page.on("pageerror", (e) => consoleErrors.push(String(e)));

let n = 0;
async function step(name, fn) {
  process.stdout.write(`step ${name}\n`);
  try {
    await fn();
  } catch (e) {
    await page.screenshot({ path: join(shots, `failed-${name}.png`), fullPage: true }).catch(() => {});
    throw new Error(`step "${name}" failed: ${e.message}`);
  }
  n++;
  await page.screenshot({ path: join(shots, `${String(n).padStart(2, "0")}-${name}.png`), fullPage: true });
}

// gridRows reads the result grid's rendered rows as text.
async function gridRows() {
  return page.$$eval('[aria-label="Result rows"] [role="rowgroup"]:nth-child(2) [role="row"]', (rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
      .map((r) => [...r.querySelectorAll('[role="cell"]')].map((c) => c.textContent)),
  );
}

async function runSQL(sql) {
  await page.goto(base + "/#/sql");
  await page.getByLabel("Query (Ctrl+Enter runs it)").fill(sql);
  // The keyboard shortcut, as a keyboard user runs it.
  await page.getByLabel("Query (Ctrl+Enter runs it)").press("Control+Enter");
  await page.getByText(/rows in \d+ ms/).waitFor();
}

function same(got, want, what) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

try {
  await step("sign-in", async () => {
    await page.goto(base + "/");
    await page.getByLabel("API token").fill("hd_wrong_token_0000000000000000000000000000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    consoleErrors.length = 0; // the browser logs the refused token's 401
    await page.getByLabel("API token").fill(env("HOTDATA_TOKEN"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    const stored = await page.evaluate(() => sessionStorage.getItem("hotdata.token"));
    if (!stored || page.url().includes(stored)) throw new Error("the token is not in session storage, or is in the URL");
  });

  await step("create-workspace", async () => {
    await page.getByRole("link", { name: "Workspaces" }).click();
    await page.getByLabel("New workspace name").fill("e2e");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("cell", { name: /e2e\s*current/ }).waitFor();
    same(await page.getByLabel("Workspace", { exact: true }).evaluate((s) => s.options[s.selectedIndex].text), "e2e", "the current workspace");
  });

  await step("add-connection", async () => {
    await page.goto(base + "/#/connections/new");
    await page.getByLabel("Connection name").fill("shop");
    await page.getByLabel("host (required)").fill(env("PG_HOST"));
    await page.getByLabel("user (required)").fill(env("PG_USER"));
    await page.getByLabel("database (required)").fill(env("PG_DATABASE"));
    await page.getByLabel("port", { exact: true }).fill(env("PG_PORT"));
    await page.getByLabel("sslmode").selectOption("disable");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText(/Connected in \d+ ms/).waitFor();
    await page.getByRole("button", { name: "Create connection" }).click();
    await page.getByRole("heading", { name: "shop" }).waitFor();
    await page.getByRole("rowheader", { name: "public.orders" }).waitFor();
  });

  await step("sync-table", async () => {
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "public.orders" }) });
    await row.getByRole("button", { name: "Sync orders" }).click();
    await row.getByRole("status").filter({ hasText: /succeeded/ }).waitFor({ timeout: 60_000 });
    await row.getByText(/synced/).waitFor();
    // The table's sync history lists the refresh and the sync it ran.
    await row.getByText(/^[1-9]\d* recent$/).waitFor();
  });

  await step("query", async () => {
    await runSQL("SELECT status, count(*) AS n, sum(amount) AS total FROM shop.public.orders GROUP BY status ORDER BY status");
    same(await gridRows(), expect.orders, "the query's rows");
  });

  await step("download-and-save", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const text = readFileSync(await download.path(), "utf8");
    same(text.trim().split("\n"), expect.orders_csv, "the downloaded CSV");
    await page.getByLabel("Save as").fill("orders by status");
    await page.getByRole("button", { name: "Save query" }).click();
    await page.getByRole("button", { name: "orders by status", exact: true }).waitFor();
  });

  await step("chart", async () => {
    await page.getByRole("button", { name: "Chart" }).click();
    await page.getByRole("img", { name: "n by status" }).waitFor();
    const bars = await page.locator("svg rect.bar").count();
    same(bars, expect.orders.length, "bars in the chart");
  });

  await step("large-result", async () => {
    await runSQL("SELECT g AS n FROM generate_series(1, 5000) AS g");
    await page.getByText("5,000 rows", { exact: false }).waitFor();
    const grid = page.getByRole("table", { name: "Result rows" });
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByRole("cell", { name: "5000", exact: true }).waitFor();
    const rendered = await page.locator('[aria-label="Result rows"] [role="row"]').count();
    if (rendered > 200) throw new Error(`the grid rendered ${rendered} rows: not virtual`);
  });

  await step("upload-dataset", async () => {
    await page.goto(base + "/#/datasets");
    await page.getByLabel("File (CSV, JSON, Parquet)").setInputFiles(env("CSV_FILE"));
    await page.getByRole("table", { name: "Inferred columns and the first rows" }).waitFor();
    const types = await page.locator("thead .type").allTextContents();
    same(types, expect.csv_types, "inferred column types");
    await page.getByLabel("Table name").fill("cities");
    await page.getByRole("button", { name: "Create dataset" }).click();
    await page.getByRole("cell", { name: "datasets.main.cities" }).waitFor();
  });

  await step("query-dataset", async () => {
    await runSQL("SELECT * FROM datasets.main.cities ORDER BY 1");
    same(await gridRows(), expect.csv, "the dataset's rows");
  });

  await step("token", async () => {
    await page.getByRole("link", { name: "Organization" }).click();
    await page.getByLabel("Token name").fill("ci");
    await page.getByRole("button", { name: "Create token" }).click();
    const text = await page.locator("code.secret").textContent();
    if (!/^hd_/.test(text ?? "")) throw new Error(`the new token shows as ${text}`);
  });

  await step("jobs", async () => {
    await page.getByRole("link", { name: "Jobs" }).click();
    await page.getByText(/sync succeeded/).first().waitFor();
  });

  await step("delete-workspace", async () => {
    await page.getByRole("link", { name: "Workspaces" }).click();
    await page.getByLabel("New workspace name").fill("doomed");
    await page.getByRole("button", { name: "Create workspace" }).click();
    const row = page.getByRole("row").filter({ hasText: "doomed" });
    await row.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete workspace doomed?" });
    await dialog.getByText("0 connections, with the cached snapshots of 0 tables").waitFor();
    await dialog.getByRole("button", { name: "Delete workspace" }).click();
    await row.waitFor({ state: "detached" });
  });

  await step("keyboard", async () => {
    // The navigation is reachable with Tab and follows Enter.
    await page.goto(base + "/#/sql");
    await page.getByRole("button", { name: "Run" }).waitFor();
    await page.evaluate(() => document.activeElement?.blur());
    let found = false;
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press("Tab");
      found = (await page.evaluate(() => document.activeElement?.textContent)) === "Datasets";
    }
    if (!found) throw new Error("Tab did not reach the Datasets link");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Datasets", exact: true, level: 1 }).waitFor();
  });

  await step("narrow-window", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(base + "/#/sql");
    await page.getByRole("button", { name: "Run" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 2) throw new Error(`the page is ${overflow}px wider than a narrow window`);
  });

  await step("sign-out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    same(await page.evaluate(() => sessionStorage.getItem("hotdata.token")), null, "the token after sign-out");
  });

  if (consoleErrors.length) throw new Error(`the browser console logged errors: ${consoleErrors.join(" | ")}`);
  process.stdout.write(`ok: ${n} steps, screenshots in ${shots}\n`);
} catch (e) {
  process.stdout.write(`FAIL: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
