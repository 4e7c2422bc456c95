import { render } from 'preact';
import { exposeTestHooks } from './adapters/test-hooks';
import { DesktopController } from './app/desktop-controller';
import { STRINGS } from './strings';
import './styles.css';
import { App } from './views/App';

/** The agent desktop's entry (agent.html). */
const controller = new DesktopController();
exposeTestHooks(controller.phone, () => controller.view.get().desktop);
document.title = STRINGS.appTitle;
const root = document.getElementById('app');
if (root !== null) render(<App controller={controller} />, root);
controller.resume().catch((err: unknown) => controller.log('resume failed', String(err)));
