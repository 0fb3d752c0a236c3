// The HTML a person sees at /oauth/authorize: who asks for what, a sign-in form and Approve / Deny.
// Self-contained (no script, no external asset), every value HTML-escaped.
export interface ConsentView {
  clientName: string;
  scopes: string[];
  /** Hidden fields carried to the POST (the authorization request and the CSRF token). */
  hidden: Record<string, string>;
  email?: string;
  error?: string;
  /** Set when the browser already signed in (session cookie): no password is asked. */
  signedInAs?: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SCOPE_TEXT: Record<string, string> = {
  '*': 'Full access to your account',
  read: 'Read all your data',
  write: 'Read and change all your data',
  admin: 'Manage API keys, people and applications',
};

function describe(scope: string): string {
  if (SCOPE_TEXT[scope]) return SCOPE_TEXT[scope];
  const [domain, level] = scope.split(':');
  return `${level === 'write' ? 'Read and change' : 'Read'} your ${domain} data`;
}

export function renderConsentPage(view: ConsentView): string {
  const hidden = Object.entries(view.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n      ');
  const scopes = view.scopes.map((s) => `<li><code>${escape(s)}</code> — ${escape(describe(s))}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Authorize ${escape(view.clientName)} — junction</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; display: flex; justify-content: center; }
    main { background: #fff; margin: 48px 16px; padding: 32px; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); max-width: 420px; width: 100%; }
    h1 { font-size: 1.3rem; margin: 0 0 8px; }
    p.lead { color: #444; margin: 0 0 16px; }
    ul { padding-left: 20px; margin: 0 0 20px; color: #222; }
    label { display: block; font-size: .9rem; margin: 12px 0 4px; color: #333; }
    input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #bbb; border-radius: 6px; font-size: 1rem; }
    .error { background: #fde8e8; color: #8a1c1c; padding: 10px 12px; border-radius: 6px; margin-bottom: 12px; }
    .buttons { display: flex; gap: 12px; margin-top: 20px; }
    button { flex: 1; padding: 11px; font-size: 1rem; border-radius: 6px; border: 1px solid #888; background: #fff; cursor: pointer; }
    button.approve { background: #1f6feb; color: #fff; border-color: #1f6feb; }
  </style>
</head>
<body>
  <main>
    <h1><strong>${escape(view.clientName)}</strong> wants to access your junction account</h1>
    <p class="lead">It asks for:</p>
    <ul>${scopes}</ul>
    ${view.error ? `<div class="error" role="alert">${escape(view.error)}</div>` : ''}
    <form method="post" action="/oauth/authorize">
      ${hidden}
      ${
        view.signedInAs
          ? `<p class="lead" id="signed-in">Signed in as <strong>${escape(view.signedInAs)}</strong></p>`
          : `<label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${escape(view.email ?? '')}">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password">`
      }
      <div class="buttons">
        <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
        <button type="submit" name="decision" value="approve" class="approve">Approve</button>
      </div>
    </form>
  </main>
</body>
</html>`;
}

export function renderErrorPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family: system-ui, sans-serif; margin: 48px"><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`;
}
