// The filing form's captcha: ALTCHA's widget, its SHA-256 proof of work run in a worker file
// served from here (the page's content security policy allows no inline worker).
const script = document.getElementById("desk-captcha-script");
const worker = script ? script.dataset.worker : null;
if (worker && globalThis.$altcha) {
  globalThis.$altcha.algorithms.set("SHA-256", () => new Worker(worker));
}
