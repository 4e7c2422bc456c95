import type { DesktopController, View } from '../app/desktop-controller';
import { useStore } from '../app/store';
import { STRINGS } from '../strings';
import { AfterCall } from './AfterCall';
import { Banners } from './Banners';
import { CallControls } from './CallControls';
import { DeviceChoice } from './DeviceChoice';
import { DialPanel } from './DialPanel';
import { Inbox } from './inbox/Inbox';
import { MediaPanel } from './MediaPanel';
import { ScreenPop } from './ScreenPop';
import { ShortcutList, useShortcuts } from './Shortcuts';
import { SignIn } from './SignIn';
import { StateBar } from './StateBar';

/**
 * The agent's phones: what CTI's snapshot says, or what the AS's settings say (CTI's directory may lag
 * behind a change in the AS; CTI still refuses a device it does not know, and the page shows why).
 */
function devicesOf(view: View): { softphone: boolean; desk: boolean } {
  const cti = view.desktop.devices;
  const as = view.settings?.devices;
  return { softphone: cti.softphone || as?.softphone === true, desk: cti.desk || as?.desk === true };
}

/** The desktop: one screen per status of the state table. */
export function App(props: { controller: DesktopController }) {
  const { controller } = props;
  const view = useStore(controller.view);
  useShortcuts(controller);
  const d = view.desktop;
  const live = (
    <div class="visually-hidden" role="status" aria-live="polite">
      {view.announcement}
    </div>
  );
  if (d.status === 'signed-out' || (d.status === 'signing-in' && view.settings === undefined)) {
    return (
      <>
        <SignIn
          heading={STRINGS.signInHeading}
          onSignIn={(login, password) => void controller.signIn(login, password)}
          busy={d.status === 'signing-in'}
          {...(view.signInError ? { error: view.signInError } : {})}
        />
        {live}
      </>
    );
  }
  if (d.status === 'signing-in') {
    return (
      <>
        <Banners controller={controller} view={view} />
        <main class="center">
          <p class="muted">{STRINGS.connecting}</p>
        </main>
        {live}
      </>
    );
  }
  if (d.status === 'choosing-device') {
    return (
      <>
        <Banners controller={controller} view={view} />
        <DeviceChoice
          controller={controller}
          devices={devicesOf(view)}
          {...(d.device ? { current: d.device } : {})}
        />
        {live}
      </>
    );
  }
  const softphone = d.device !== 'desk';
  const idle = d.contact === undefined;
  return (
    <div class="desktop">
      <StateBar controller={controller} view={view} />
      <Banners controller={controller} view={view} />
      <main class="workspace with-inbox">
        <div class="col main-col">
          <CallControls controller={controller} view={view} />
          {(d.afterCall === undefined || !idle) && <ScreenPop controller={controller} view={view} />}
          <AfterCall key={d.afterCall?.contactId ?? 'none'} controller={controller} view={view} />
        </div>
        <div class="col inbox-col">
          <Inbox tasks={controller.tasks} dispositionCodes={view.settings?.dispositionCodes ?? []} />
        </div>
        <div class="col side-col">
          {softphone && <MediaPanel controller={controller} />}
          {idle && d.status !== 'logged-out' && <DialPanel controller={controller} view={view} />}
          <ShortcutList />
        </div>
      </main>
      {live}
    </div>
  );
}
