import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, SessionState, setCsrfToken, whenUnauthorized } from './api';
import { Lang, lang, setLang, t } from './i18n';
import { ExportPage } from './pages/ExportPage';
import { ImportPage } from './pages/ImportPage';
import { RecordPage } from './pages/RecordPage';
import { RecordsPage } from './pages/RecordsPage';
import { SignInPage } from './pages/SignInPage';
import { href, useRoute } from './router';
import './styles.css';

function Nav({
  active,
  session,
  onSignOut,
  onLang,
}: {
  active: string;
  session: SessionState;
  onSignOut: () => void;
  onLang: () => void;
}) {
  const items = [
    ['import', t('nav.import')],
    ['records', t('nav.records')],
    ['export', t('nav.export')],
  ] as const;
  return (
    <header class="top">
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <span class="brand">{t('app.title')}</span>
      <nav aria-label={t('app.title')}>
        {items.map(([key, text]) => (
          <a key={key} href={href(key)} aria-current={active === key ? 'page' : undefined}>
            {text}
          </a>
        ))}
      </nav>
      <div class="top-tools">
        <a href="queues" target="_blank" rel="noopener">
          {t('nav.queues')}
        </a>
        <a href="docs" target="_blank" rel="noopener">
          {t('nav.docs')}
        </a>
        <button
          type="button"
          class="link"
          onClick={onLang}
          title={t('lang.label')}
          lang={lang() === 'en' ? 'zh-CN' : 'en'}
        >
          {t('lang.switch')}
        </button>
        {session.auth === 'token' && (
          <button type="button" class="link" onClick={onSignOut}>
            {t('auth.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState<SessionState | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [, setLangState] = useState<Lang>(lang());
  const [expired, setExpired] = useState(false);

  const load = () =>
    api<SessionState>('GET', 'session').then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      (e: ApiError) => setFailure(e.message),
    );

  useEffect(() => {
    document.title = t('app.title');
    whenUnauthorized(() => {
      setExpired(true);
      setSession((s) => (s ? { ...s, signedIn: false } : s));
    });
    void load();
  }, []);

  if (failure)
    return (
      <main id="main" class="page">
        <p role="alert">{t('common.error', { message: failure })}</p>
      </main>
    );
  if (!session)
    return (
      <main id="main" class="page">
        <p>{t('common.loading')}</p>
      </main>
    );

  const switchLang = () => {
    const next = lang() === 'zh-CN' ? 'en' : 'zh-CN';
    setLang(next);
    setLangState(next);
  };

  if (!session.signedIn)
    return (
      <SignInPage
        expired={expired}
        onLang={switchLang}
        onSignedIn={(s) => {
          setCsrfToken(s.csrfToken);
          setExpired(false);
          setSession(s);
        }}
      />
    );

  const signOut = async () => {
    await api('DELETE', 'session').catch(() => undefined);
    setCsrfToken(null);
    setSession({ ...session, signedIn: false, csrfToken: null });
  };

  const [page = 'import', id] = route.path;
  let body;
  if (page === 'records' && id) body = <RecordPage key={id} id={Number(id)} params={route.params} />;
  else if (page === 'records') body = <RecordsPage params={route.params} />;
  else if (page === 'export') body = <ExportPage />;
  else body = <ImportPage params={route.params} />;

  return (
    <>
      <Nav active={page} session={session} onSignOut={() => void signOut()} onLang={switchLang} />
      {session.auth === 'open' && (
        <div class="open-notice" role="note">
          {t('auth.open')}
        </div>
      )}
      <main id="main" tabIndex={-1} class={page === 'records' && id ? 'page wide' : 'page'}>
        {body}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
