import { useState } from 'preact/hooks';
import { api, ApiError, SessionState } from '../api';
import { t } from '../i18n';
import { errorText } from '../shared';

export function SignInPage({
  onSignedIn,
  onLang,
  expired,
}: {
  onSignedIn: (s: SessionState) => void;
  onLang: () => void;
  expired: boolean;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<SessionState>('POST', 'session', { token }));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('signin.wrong') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <form class="card" onSubmit={(e) => void submit(e)}>
        <h1>{t('app.title')}</h1>
        <h2>{t('signin.title')}</h2>
        {expired && <p class="muted">{t('signin.expired')}</p>}
        <p>{t('signin.intro')}</p>
        <label for="token">{t('signin.token')}</label>
        <input
          id="token"
          type="password"
          autocomplete="current-password"
          required
          value={token}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'token-error' : undefined}
          onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
        />
        {error && (
          <p id="token-error" class="invalid-text" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('signin.submit')}
          </button>
          <button type="button" class="link" onClick={onLang}>
            {t('lang.switch')}
          </button>
        </div>
      </form>
    </main>
  );
}
