import type { Plugin } from '@hapi/hapi';
import type { CommandOutbox } from '../../outbox/commands';
import { messageRoutes } from './routes';
import { MessageService } from './service';
import { templateRoutes } from './template-routes';
import { TemplateService } from './templates';

export interface MessagesOptions {
  /** Where agents' replies go out to ISAG (`SendReply` on cc.commands). */
  commands: CommandOutbox;
}

/** Contacts' messages (e-mail, SMS, fax): the thread, attachments, agents' replies and reply templates. */
export const messagesPlugin: Plugin<MessagesOptions> = {
  name: 'ipcc-messages',
  dependencies: ['ipcc-auth'],
  register(server, { commands }) {
    server.route([...messageRoutes(new MessageService(commands)), ...templateRoutes(new TemplateService())]);
  },
};
