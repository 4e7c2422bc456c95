import { parseKeyword } from '../../../isag/sms/keywords';
import { expect } from '../../support/chai';

describe('isag sms: opt-out keywords', () => {
  it('knows the STOP family and START, in any case, with blanks and end punctuation', () => {
    for (const word of ['STOP', 'stopall', 'Unsubscribe', 'CANCEL', 'end', 'QUIT'])
      expect(parseKeyword(word), word).to.deep.equal({ kind: 'stop', word: word.toUpperCase() });
    expect(parseKeyword('  stop!  ')).to.deep.equal({ kind: 'stop', word: 'STOP' });
    expect(parseKeyword('Stop.')).to.deep.equal({ kind: 'stop', word: 'STOP' });
    expect(parseKeyword('start')).to.deep.equal({ kind: 'start', word: 'START' });
  });

  it('takes a keyword only when it is the whole message', () => {
    expect(parseKeyword('stop the delivery on Monday')).to.equal(undefined);
    expect(parseKeyword('please STOP')).to.equal(undefined);
    expect(parseKeyword('STOPP')).to.equal(undefined);
    expect(parseKeyword('START now')).to.equal(undefined);
    expect(parseKeyword('')).to.equal(undefined);
    expect(parseKeyword('S T O P')).to.equal(undefined);
  });
});
