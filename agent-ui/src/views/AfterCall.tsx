import { useState } from 'preact/hooks';
import type { DesktopController, View } from '../app/desktop-controller';
import { STRINGS } from '../strings';
import { CustomerCard } from './CustomerCard';
import { Region } from './common';
import { WrapUpFields } from './WrapUpFields';

/** Disposition and notes of the contact just ended; "Ready" ends the wrap-up early. */
export function AfterCall(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const after = view.desktop.afterCall;
  const [disposition, setDisposition] = useState('');
  const [notes, setNotes] = useState('');
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  if (after === undefined) return null;
  const codes = view.settings?.dispositionCodes ?? [];
  const pop = view.pop?.contactId === after.contactId ? view.pop : undefined;
  const save = async (): Promise<boolean> => {
    setStatus('saving');
    try {
      await controller.saveWrapUp(after.contactId, disposition, notes);
      setStatus('saved');
      setNotes('');
      return true;
    } catch (err) {
      controller.log('wrap-up not saved', String(err));
      setStatus('failed');
      return false;
    }
  };
  const wrapUp = view.desktop.status === 'wrap-up';
  return (
    <Region title={STRINGS.afterCallHeading} class="aftercall">
      <p class="muted">{after.callingName ?? after.callingNumber ?? after.contactId}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <WrapUpFields
          codes={codes}
          disposition={disposition}
          notes={notes}
          onDisposition={setDisposition}
          onNotes={setNotes}
        />
        <div class="row">
          <button type="submit" disabled={status === 'saving'}>
            {STRINGS.saveWrapUp}
          </button>
          {wrapUp && (
            <button
              type="button"
              class="primary"
              onClick={() => {
                const pending = disposition !== '' || notes.trim() !== '';
                if (!pending) return controller.finishWrapUp();
                void save().then((ok) => ok && controller.finishWrapUp());
              }}
            >
              {STRINGS.readyNow}
            </button>
          )}
          {!wrapUp && (
            <button type="button" class="link" onClick={() => controller.closeAfterCall()}>
              {STRINGS.dismiss}
            </button>
          )}
          <span role="status" class="muted">
            {status === 'saved' ? STRINGS.saved : status === 'failed' ? STRINGS.saveFailed : ''}
          </span>
        </div>
      </form>
      {pop?.view !== undefined && (
        <Region title={STRINGS.customerHeading} level={3} class="sub">
          <CustomerCard
            key={pop.view.customer?.id ?? 'new'}
            controller={controller}
            {...(pop.view.customer === undefined ? {} : { customer: pop.view.customer })}
            {...(after.callingNumber === undefined ? {} : { fallbackNumber: after.callingNumber })}
            canDial={view.desktop.status !== 'wrap-up'}
          />
        </Region>
      )}
    </Region>
  );
}
