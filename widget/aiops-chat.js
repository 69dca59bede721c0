// <aiops-chat>: the aiops chat widget for uHub. Dependency-free web component.
//
//   <script type="module" src="https://aiops.example.org/widget/aiops-chat.js"></script>
//   <aiops-chat endpoint="https://aiops.example.org" api-key="..." lang="fr"
//               docs-url="https://git.example.org/ops/infrastructure/-/blob/main/"
//               uhub-url="https://hub.example.org"></aiops-chat>
//
// Attributes: endpoint (aiops base URL), api-key, model (aiops-assistant or aiops-rag), lang (fr|en,
// default: the browser's), docs-url and uhub-url (bases of the source links).
// It streams answers from /v1/chat/completions and keeps one conversation thread per page session.

const TEXT = {
  fr: { placeholder: "Posez votre question…", send: "Envoyer", sources: "Sources", error: "Erreur" },
  en: { placeholder: "Ask a question…", send: "Send", sources: "Sources", error: "Error" },
};

const STYLE = `
  :host { display: block; font: 14px/1.45 system-ui, sans-serif; color: #1f2933; }
  .box { border: 1px solid #cbd2d9; border-radius: 8px; display: flex; flex-direction: column; height: 100%;
         min-height: 320px; background: #fff; }
  .log { flex: 1; overflow-y: auto; padding: 12px; }
  .msg { margin: 0 0 10px; white-space: pre-wrap; }
  .question { font-weight: 600; }
  .answer { background: #f5f7fa; border-radius: 6px; padding: 8px; }
  .sources { margin: 4px 0 12px; font-size: 12px; }
  .sources a, .sources span { display: block; color: #2563eb; }
  form { display: flex; gap: 6px; border-top: 1px solid #e4e7eb; padding: 8px; }
  input { flex: 1; padding: 6px 8px; border: 1px solid #cbd2d9; border-radius: 4px; font: inherit; }
  button { padding: 6px 12px; border: 0; border-radius: 4px; background: #2563eb; color: #fff; font: inherit; }
  button:disabled { background: #9aa5b1; }
`;

class AiopsChat extends HTMLElement {
  connectedCallback() {
    const lang = (this.getAttribute("lang") || navigator.language || "en").slice(0, 2);
    this.text = TEXT[lang] || TEXT.en;
    this.thread = sessionStorage.getItem("aiops-thread") || `widget-${crypto.randomUUID()}`;
    sessionStorage.setItem("aiops-thread", this.thread);
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style><div class="box"><div class="log" part="log"></div>
      <form><input name="q" autocomplete="off" placeholder="${this.text.placeholder}">
      <button type="submit">${this.text.send}</button></form></div>`;
    this.log = root.querySelector(".log");
    this.form = root.querySelector("form");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const question = this.form.q.value.trim();
      if (question) this.ask(question);
    });
  }

  add(className, text) {
    const node = document.createElement("div");
    node.className = `msg ${className}`;
    node.textContent = text;
    this.log.append(node);
    this.log.scrollTop = this.log.scrollHeight;
    return node;
  }

  link(source) {
    const docs = this.getAttribute("docs-url");
    const uhub = this.getAttribute("uhub-url");
    const label = `[${source.n}] ${source.source}${source.lines ? `:${source.lines[0]}-${source.lines[1]}` : ""}`;
    let href = null;
    if (source.id !== undefined && source.id !== null && uhub) href = `${uhub.replace(/\/$/, "")}/${source.kind}s/${source.id}`;
    else if (source.lines && docs) href = `${docs}${source.source}#L${source.lines[0]}-${source.lines[1]}`;
    const node = document.createElement(href ? "a" : "span");
    node.textContent = label;
    if (href) { node.href = href; node.target = "_blank"; node.rel = "noopener"; }
    return node;
  }

  async ask(question) {
    const button = this.form.querySelector("button");
    button.disabled = true;
    this.form.q.value = "";
    this.add("question", question);
    const answer = this.add("answer", "");
    try {
      const response = await fetch(`${this.getAttribute("endpoint") || ""}/v1/chat/completions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": `Bearer ${this.getAttribute("api-key") || ""}`,
                   "X-Aiops-Client": "widget" },
        body: JSON.stringify({ model: this.getAttribute("model") || "aiops-assistant", stream: true,
                               user: this.thread, messages: [{ role: "user", content: question }] }),
      });
      if (!response.ok) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const events = buffer.split("\n\n");
        buffer = events.pop();
        for (const event of events) {
          const data = event.replace(/^data: /, "");
          if (data === "[DONE]") continue;
          const chunk = JSON.parse(data);
          answer.textContent += chunk.choices[0].delta.content || "";
          if (chunk.aiops_sources && chunk.aiops_sources.length) this.showSources(chunk.aiops_sources);
        }
      }
    } catch (error) {
      answer.textContent = `${this.text.error}: ${error.message}`;
    } finally {
      button.disabled = false;
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  showSources(sources) {
    const box = document.createElement("div");
    box.className = "sources";
    box.setAttribute("part", "sources");
    box.append(document.createTextNode(`${this.text.sources} :`));
    for (const source of sources) box.append(this.link(source));
    this.log.append(box);
  }
}

customElements.define("aiops-chat", AiopsChat);
