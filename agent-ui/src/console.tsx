import { render } from 'preact';
import { ConsoleSession } from './app/console-session';
import { STRINGS } from './strings';
import './styles.css';
import { ConsoleApp } from './views/console/ConsoleApp';

/** The supervisor's and administrator's console (console.html). */
const session = new ConsoleSession();
document.title = STRINGS.consoleTitle;
const root = document.getElementById('app');
if (root !== null) render(<ConsoleApp session={session} />, root);
session.resume().catch((err: unknown) => console.info('[console] resume failed', String(err)));
