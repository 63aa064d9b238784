import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, forgetToken, get, savedToken, whenUnauthenticated } from './api';
import { holds } from './logic';
import { AuditPage } from './pages/audit';
import { CommandsPage, writableCommands } from './pages/commands';
import { ExplainPage } from './pages/explain';
import { PositionPage } from './pages/position';
import { ReportsPage } from './pages/reports';
import { SignIn } from './pages/sign-in';
import { href, useRoute } from './route';
import type { Book, Me } from './types';
import './styles.css';

interface Session {
  readonly me: Me;
  readonly books: ReadonlyArray<Book>;
}

const BOOK_KEY = 'treasury.book';

const App = () => {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState('');
  const [loading, setLoading] = useState(savedToken() !== null);
  const [bookId, setBookId] = useState(sessionStorage.getItem(BOOK_KEY) ?? '');
  const route = useRoute();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [me, books] = await Promise.all([get<Me>('/v1/me'), get<{ books: Book[] }>('/v1/books')]);
      setSession({ me, books: books.books });
      setNotice('');
    } catch (error) {
      if (error instanceof ApiError && error.status !== 401) setNotice(error.message);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    whenUnauthenticated(() => {
      setSession(null);
      setNotice('Your session has ended or the credentials were refused: sign in again.');
    });
    if (savedToken() !== null) void load();
  }, [load]);

  if (loading) return <p class="loading">Loading…</p>;
  if (session === null) return <SignIn notice={notice} onSignedIn={load} />;

  const book = session.books.find((b) => b.bookId === bookId) ?? session.books[0];
  const signOut = () => {
    forgetToken();
    setSession(null);
    setNotice('Signed out.');
  };
  const chooseBook = (id: string) => {
    sessionStorage.setItem(BOOK_KEY, id);
    setBookId(id);
  };
  const canAudit = book !== undefined && holds(session.me, 'auditor', book.bookId);
  const canWrite = book !== undefined && writableCommands(session.me, book.bookId);
  const pages: Array<[string, string, boolean]> = [
    ['position', 'Position', true],
    ['reports', 'Month-end & reconciliation', true],
    ['audit', 'Audit', canAudit],
    ['commands', 'Commands', canWrite],
  ];
  return (
    <>
      <header class="top">
        <a class="skip" href="#main">
          Skip to content
        </a>
        <strong class="brand">treasury-engine</strong>
        {book !== undefined && (
          <label class="book-select">
            Book{' '}
            <select value={book.bookId} onChange={(e) => chooseBook((e.target as HTMLSelectElement).value)}>
              {session.books.map((b) => (
                <option value={b.bookId} key={b.bookId}>
                  {b.name} ({b.bookId})
                </option>
              ))}
            </select>
          </label>
        )}
        <nav aria-label="Pages">
          {pages
            .filter(([, , shown]) => shown)
            .map(([page, label]) => (
              <a key={page} href={href(page)} aria-current={route.page === page ? 'page' : undefined}>
                {label}
              </a>
            ))}
        </nav>
        <span class="who">
          {session.me.name} <span class="muted">({session.me.id})</span>{' '}
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {book === undefined ? (
          <p>No book you may read has been opened yet.</p>
        ) : route.page === 'explain' ? (
          <ExplainPage book={book} params={route.params} />
        ) : route.page === 'audit' && canAudit ? (
          <AuditPage book={book} params={route.params} />
        ) : route.page === 'reports' ? (
          <ReportsPage book={book} canAudit={canAudit} />
        ) : route.page === 'commands' && canWrite ? (
          <CommandsPage book={book} me={session.me} />
        ) : (
          <PositionPage book={book} params={route.params} />
        )}
      </main>
    </>
  );
};

const root = document.getElementById('app')!;
// The static "Loading" text is for the moments before this script runs.
root.textContent = '';
render(<App />, root);
