// The extension's settings: the lector server's address and the reader's token.
const api = globalThis.browser ?? globalThis.chrome;
const [server, token, status] = ["server", "token", "status"].map((id) => document.getElementById(id));

// What is kept fills the fields the reader has not started typing in while it was read.
api.storage.local.get(["server", "token"]).then((kept) => {
  server.value ||= kept.server ?? "";
  token.value ||= kept.token ?? "";
});

document.getElementById("settings").addEventListener("submit", async (event) => {
  event.preventDefault();
  const address = server.value.trim().replace(/\/+$/, "");
  try {
    new URL(address);
    await api.storage.local.set({ server: address, token: token.value.trim() });
    status.textContent = "Saved.";
  } catch (_) {
    status.textContent = "That is not a web address.";
  }
});
