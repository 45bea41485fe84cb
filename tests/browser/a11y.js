() => {
  // Accessibility checks run in the page by tests/browser/conftest.py (assert_accessible).
  // Small and strict: they do not replace a review with a screen reader, but they catch the
  // common regressions. Returns a list of problems (empty: the page passes).
  const problems = [];
  const short = el => el.outerHTML.replace(/\s+/g, " ").slice(0, 140);
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  for (const tag of ["header", "nav", "main", "footer"]) {
    if (!document.querySelector(tag)) problems.push(`no <${tag}> landmark`);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one <main>");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements (want exactly one)`);
  if (!document.documentElement.lang) problems.push("<html> has no lang");
  if (!document.title.trim() || document.title.trim().startsWith("·")) {
    problems.push(`page title is empty: "${document.title}"`);
  }
  if (!document.querySelector("[aria-live]")) problems.push("no aria-live region for messages");
  const skip = document.querySelector("body > a.skip-link");
  if (!skip || document.body.querySelector("a[href], button, input, select, textarea") !== skip) {
    problems.push("the skip link is not the first focusable element");
  }
  document.querySelectorAll("input, select, textarea").forEach(el => {
    if (["hidden", "submit", "button", "reset", "image"].includes(el.type)) return;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby");
    if (!named) problems.push(`form control without a label: ${short(el)}`);
  });
  document.querySelectorAll("img").forEach(el => {
    if (!el.hasAttribute("alt")) problems.push(`image without alt: ${short(el)}`);
  });
  document.querySelectorAll("a[href], button, [role=button]").forEach(el => {
    const name = (el.textContent || "").trim() || el.getAttribute("aria-label") ||
      el.getAttribute("title") || Array.from(el.querySelectorAll("img[alt]")).map(i => i.alt).join("");
    if (!name) problems.push(`link or button without an accessible name: ${short(el)}`);
  });
  const seen = new Set();
  document.querySelectorAll("[id]").forEach(el => {
    if (seen.has(el.id)) problems.push(`duplicate id "${el.id}"`);
    seen.add(el.id);
  });
  document.querySelectorAll("nav .nav-link.active").forEach(el => {
    if (!el.hasAttribute("aria-current")) problems.push(`active nav item without aria-current: ${short(el)}`);
  });
  // Text contrast (WCAG 2.1 AA): 4.5:1, or 3:1 for large text.
  const parse = c => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  document.querySelectorAll("body *").forEach(el => {
    const ownText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || el.closest("option, script, style") || el.disabled || !shown(el)) return;
    const s = getComputedStyle(el);
    const fg0 = parse(s.color);
    if (!fg0) return;
    const bg = background(el);
    const fg = over(fg0, bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    if (ratio < need) {
      problems.push(`contrast ${ratio.toFixed(2)}:1 < ${need}:1 for "${el.textContent.trim().slice(0, 40)}" (${s.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
    }
  });
  return problems;
}
