import { render } from 'preact';
import { AsApi } from './adapters/as-api';
import { Softphone } from './adapters/softphone';
import { exposeTestHooks } from './adapters/test-hooks';
import { numberFromPath } from './domain/guest';
import { STRINGS } from './strings';
import './styles.css';
import { CallPage } from './views/CallPage';

/** The customer's call page's entry (call.html, served at /call/<number>). */
const phone = new Softphone((m, d) => console.info(`[call] ${m}`, d ?? ''));
exposeTestHooks(phone);
document.title = STRINGS.callTitle;
const root = document.getElementById('app');
if (root !== null)
  render(<CallPage number={numberFromPath(location.pathname)} phone={phone} api={new AsApi()} />, root);
