import { useState } from 'preact/hooks';
import { saveToken } from '../api';

/** An API key (tek_…) or a token from the identity provider: the same credentials as the API. */
export const SignIn = ({ notice, onSignedIn }: { notice: string; onSignedIn: () => Promise<void> }) => {
  const [token, setToken] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === '') return;
    saveToken(trimmed);
    await onSignedIn();
  };
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to the treasury console</h1>
      {notice !== '' && (
        <p role="alert" class="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label for="credentials">API key or identity-provider token</label>
        <input
          id="credentials"
          name="credentials"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-describedby="credentials-hint"
        />
        <p id="credentials-hint" class="hint">
          Kept in this tab only (sessionStorage) and sent as Authorization: Bearer to this server.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
};
