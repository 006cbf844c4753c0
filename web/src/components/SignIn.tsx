// The sign-in form: single sign-on when the server offers it, else (or also) email and password;
// the server's refusal in people's words.
import { useEffect, useState, type FormEvent } from 'react';
import { describeLoadError, type Api } from '../api/client.js';
import { signIn, signOnProviders, type SignOnProvider } from '../api/session.js';

export function SignIn({
  api,
  onSignedIn,
  notice,
}: {
  readonly api: Api;
  readonly onSignedIn: () => void;
  /** Why the person is asked to sign in again, e.g. the session expired. */
  readonly notice?: string | undefined;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [providers, setProviders] = useState<readonly SignOnProvider[]>([]);

  useEffect(() => {
    const abort = new AbortController();
    signOnProviders(api, abort.signal).then(setProviders, (error: unknown) => {
      // Aborting is how an unmounted form's request ends; anything else is a bug.
      if (!abort.signal.aborted) reportError(error);
    });
    return () => abort.abort();
  }, [api]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    signIn(api, email, password).then(
      (result) => {
        setBusy(false);
        if (result.ok) onSignedIn();
        else setError(result.reason);
      },
      (error: unknown) => {
        reportError(error);
        setBusy(false);
        setError(describeLoadError({ kind: 'unexpected' }));
      },
    );
  };

  return (
    <section className="sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {providers.length > 0 && (
        <>
          {providers.map((provider) => (
            // A full-page navigation: the server redirects to the provider and back.
            <a key={provider.id} className="sso" href={provider.url}>
              Sign in with {provider.name}
            </a>
          ))}
          <p className="or">or with the email and password an administrator gave you</p>
        </>
      )}
      <form onSubmit={submit}>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        Accounts are made by an administrator (<code>attache user add</code>). With the demo, the
        start banner and <code>data/demo-accounts.txt</code> list one account per role.
      </p>
    </section>
  );
}
