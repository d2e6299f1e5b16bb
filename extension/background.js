// Save to lector: a click on the toolbar button sends the page's address and, so that pages
// behind a sign-in are saved as the reader sees them, its current HTML to the reader's
// library (POST /api/library with the reader's token). The badge says how it went.
const api = globalThis.browser ?? globalThis.chrome;

async function settings() {
  const { server = "", token = "" } = await api.storage.local.get(["server", "token"]);
  return { server: server.replace(/\/+$/, ""), token };
}

async function pageOf(tab) {
  try {
    const [result] = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: () => document.documentElement.outerHTML,
    });
    return result?.result ?? null;
  } catch (_) {
    return null; // a page scripts may not read (the browser's own): its address is saved alone
  }
}

async function badge(tabId, text, colour) {
  await api.action.setBadgeBackgroundColor({ tabId, color: colour });
  await api.action.setBadgeText({ tabId, text });
}

async function save(tab) {
  const { server, token } = await settings();
  if (!server || !token) {
    await api.runtime.openOptionsPage();
    return { ok: false, error: "set the server and the token first" };
  }
  const html = await pageOf(tab);
  const body = html ? { url: tab.url, html } : { url: tab.url };
  try {
    const response = await fetch(`${server}/api/library`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer?.error?.message ?? `the server answered ${response.status}`);
    await badge(tab.id, "✓", "#2a7a3b");
    return { ok: true, save: answer };
  } catch (error) {
    await badge(tab.id, "!", "#b3261e");
    return { ok: false, error: String(error.message ?? error) };
  }
}

api.action.onClicked.addListener((tab) => { save(tab); });
api.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type === "save-tab") {
    api.tabs.get(message.tabId).then(save).then(reply);
    return true;
  }
  return false;
});
