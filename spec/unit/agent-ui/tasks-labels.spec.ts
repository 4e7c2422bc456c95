import { expect } from '../../support/chai';
import { contactChannelLabel } from '../../../agent-ui/src/app/tasks-labels';
import { STRINGS } from '../../../agent-ui/src/strings';

describe('agent-ui inbox labels (agent-ui/src/app/tasks-labels)', () => {
  it("names a history contact's channel: tasks by their inbox label, calls as calls", () => {
    const names = ['email', 'sms', 'fax', 'voice', 'video', 'pigeon', undefined].map(contactChannelLabel);
    expect(names).to.deep.equal([
      STRINGS.taskChannelEmail,
      STRINGS.taskChannelSms,
      STRINGS.taskChannelFax,
      STRINGS.historyCall,
      STRINGS.historyVideoCall,
      'pigeon',
      '',
    ]);
  });
});
