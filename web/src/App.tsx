// The Attaché web app: who is signed in decides what is shown. Signed out (or the session ended),
// the sign-in form; signed in, the pages the user's role and scope allow, at real addresses that
// survive a reload and can be shared.
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { describeLoadError, type Api, type LoadError } from './api/client.js';
import { createQueryClient } from './api/query.js';
import { signOut, whoAmI, type SignedInUser } from './api/session.js';
import { SignIn } from './components/SignIn.js';
import { importableKinds } from './pages/imports/imports.js';
import { mayReprogram } from './pages/reprogram/reprogram.js';
import { SessionProvider, useSession } from './session.js';
import { Loading } from './ui/Status.js';
import { Page } from './ui/Page.js';

// Each page is its own chunk: the first page loads only what it shows.
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage.js'));
const CountriesPage = lazy(() => import('./pages/countries/CountriesPage.js'));
const CountryRoutes = lazy(() => import('./pages/country/CountryRoutes.js'));
const DecisionRoutes = lazy(() => import('./pages/decisions/DecisionRoutes.js'));
const SeatRoutes = lazy(() => import('./pages/seats/SeatRoutes.js'));
const StudentRoutes = lazy(() => import('./pages/students/StudentRoutes.js'));
const AuditRoutes = lazy(() => import('./pages/audit/AuditRoutes.js'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage.js'));
const ImportsPage = lazy(() => import('./pages/imports/ImportsPage.js'));
const ReprogramPage = lazy(() => import('./pages/reprogram/ReprogramPage.js'));

type Who =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-out'; readonly notice?: string }
  | { readonly status: 'signed-in'; readonly user: SignedInUser }
  | { readonly status: 'failed'; readonly error: LoadError };

const EXPIRED =
  'Your session has ended: it expired or was signed out elsewhere. Sign in again to carry on where you were.';

export function App({ api }: { readonly api: Api }) {
  const [who, setWho] = useState<Who>({ status: 'checking' });
  const check = useCallback(
    (notice?: string) => {
      whoAmI(api).then(
        (result) =>
          setWho(
            !result.ok
              ? { status: 'failed', error: result.error }
              : result.value === null
                ? { status: 'signed-out', ...(notice === undefined ? {} : { notice }) }
                : { status: 'signed-in', user: result.value },
          ),
        (error: unknown) => {
          reportError(error);
          setWho({ status: 'failed', error: { kind: 'unexpected' } });
        },
      );
    },
    [api],
  );
  useEffect(() => check(), [check]);
  // A 401 from any request: ask again who is signed in; if no one, say the session ended.
  const queryClient = useMemo(() => createQueryClient(() => check(EXPIRED)), [check]);
  const leave = () => {
    const done = () => {
      queryClient.clear();
      check();
    };
    // Whatever the server answered, asking again who is signed in shows the outcome.
    void signOut(api).then(done, done);
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="masthead">
        <div className="brand">
          <span className="brand-name">Attaché</span>
          <span className="brand-line">International Military Education and Training</span>
        </div>
        {who.status === 'signed-in' && (
          <div className="who">
            <span>
              {who.user.actor.replace(/^user:/, '')} · {roleLabel(who.user)}
            </span>
            <button type="button" onClick={leave}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {who.status === 'signed-in' ? (
        <QueryClientProvider client={queryClient}>
          <SessionProvider api={api} user={who.user}>
            <Navigation />
            <main id="main">
              <Suspense fallback={<Loading what="the page" />}>
                <Routes>
                  <Route index element={<DashboardPage />} />
                  <Route path="countries" element={<CountriesPage />} />
                  <Route path="countries/:iso3/*" element={<CountryRoutes />} />
                  <Route path="decisions/*" element={<DecisionRoutes />} />
                  <Route path="seats/*" element={<SeatRoutes />} />
                  <Route path="students/*" element={<StudentRoutes />} />
                  <Route path="reports" element={<ReportsPage />} />
                  <Route path="reprogramming" element={<ReprogramPage />} />
                  <Route path="imports" element={<ImportsPage />} />
                  <Route path="audit/*" element={<AuditRoutes />} />
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Suspense>
            </main>
          </SessionProvider>
        </QueryClientProvider>
      ) : (
        <main id="main">
          {who.status === 'checking' && (
            <p className="status" role="status">
              Checking who is signed in…
            </p>
          )}
          {who.status === 'failed' && (
            <div className="status error" role="alert">
              <p>{describeLoadError(who.error)}</p>
              <button type="button" onClick={() => check()}>
                Try again
              </button>
            </div>
          )}
          {who.status === 'signed-out' && (
            <SignIn api={api} onSignedIn={() => check()} notice={who.notice} />
          )}
        </main>
      )}
    </>
  );
}

function roleLabel(user: SignedInUser): string {
  const scope = [...user.countries, ...user.schools];
  const role = ROLE_NAMES[user.role];
  return scope.length === 0 ? role : `${role}: ${scope.join(', ')}`;
}

const ROLE_NAMES: Readonly<Record<SignedInUser['role'], string>> = {
  admin: 'administrator',
  'program-manager': 'program manager',
  sco: 'security cooperation officer',
  imso: 'international student officer',
  analyst: 'analyst (read-only)',
};

function Navigation() {
  const { can, user } = useSession();
  const links: [string, string][] = [
    ['/', 'Dashboard'],
    ['/countries', 'Countries'],
    ...(can('restrictions.write') ? ([['/decisions', 'Decisions']] as [string, string][]) : []),
    ['/seats', 'Seats'],
    ...(mayReprogram(user.role)
      ? ([['/reprogramming', 'Re-programming']] as [string, string][])
      : []),
    ['/students', 'Students'],
    ['/reports', 'Reports'],
    ...(importableKinds(can).length > 0 ? ([['/imports', 'Import']] as [string, string][]) : []),
    ...(can('audit.read') ? ([['/audit', 'Audit']] as [string, string][]) : []),
  ];
  return (
    <nav className="site-nav" aria-label="Main">
      <ul>
        {links.map(([to, label]) => (
          <li key={to}>
            <NavLink to={to} end={to === '/'}>
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <NavLink to="/">Go to the dashboard</NavLink>.
      </p>
    </Page>
  );
}
