import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleArea, ConsoleSession } from '../../app/console-session';
import { useStore } from '../../app/store';
import { STRINGS } from '../../strings';
import { SignIn } from '../SignIn';
import { AREA_LOADERS, type AreaProps } from './area';

const AREA_NAMES: Record<ConsoleArea, string> = {
  wallboard: STRINGS.areaWallboard,
  reports: STRINGS.areaReports,
  admin: STRINGS.areaAdmin,
  flows: STRINGS.areaFlows,
};

/** `#/reports` opens the reports; an area the person may not open falls back to the first allowed. */
function areaFromHash(hash: string, allowed: readonly ConsoleArea[]): ConsoleArea | undefined {
  const name = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return allowed.find((a) => a === name) ?? allowed[0];
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** Loads an area's chunk on first use and renders it. */
function AreaHost(props: { area: ConsoleArea; session: ConsoleSession }) {
  const [loaded, setLoaded] = useState<{ area: ConsoleArea; View: ComponentType<AreaProps> } | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    setFailed(undefined);
    AREA_LOADERS[props.area]().then(
      (View) => live && setLoaded({ area: props.area, View }),
      (err: unknown) => live && setFailed(String(err)),
    );
    return () => {
      live = false;
    };
  }, [props.area]);
  if (failed !== undefined) {
    return (
      <p class="error" role="alert">
        {STRINGS.areaLoadFailed(failed)}
      </p>
    );
  }
  if (loaded?.area !== props.area) return <p class="muted">{STRINGS.loading}</p>;
  const View = loaded.View;
  return <View session={props.session} />;
}

/** The console: navigation by role, one area at a time. */
export function ConsoleApp(props: { session: ConsoleSession }) {
  const view = useStore(props.session.view);
  const hash = useHash();
  if (view.status !== 'signed-in') {
    return (
      <SignIn
        heading={STRINGS.consoleSignInHeading}
        onSignIn={(login, password) => void props.session.signIn(login, password)}
        busy={view.status === 'signing-in'}
        {...(view.error ? { error: view.error } : {})}
      />
    );
  }
  const area = areaFromHash(hash, view.areas);
  const who = view.session?.agent?.displayName ?? view.session?.agent?.login ?? '';
  return (
    <div class="console">
      <header class="console-bar">
        <h1 class="console-title">{STRINGS.consoleTitle}</h1>
        <nav aria-label={STRINGS.consoleNav}>
          <ul class="console-tabs">
            {view.areas.map((a) => (
              <li key={a}>
                <a href={`#/${a}`} aria-current={a === area ? 'page' : undefined}>
                  {AREA_NAMES[a]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="muted">{STRINGS.signedInAs(who)}</span>
        <button type="button" onClick={() => void props.session.signOut()}>
          {STRINGS.signOut}
        </button>
      </header>
      <main class="console-main">
        {area !== undefined && <AreaHost area={area} session={props.session} />}
      </main>
    </div>
  );
}
