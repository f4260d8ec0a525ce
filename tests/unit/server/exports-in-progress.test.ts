import { describe, expect, it } from 'vitest';
import { ExportsInProgress } from '../../../server/src/account/exports-in-progress.js';

describe('exports in progress', () => {
  it('lets each person run one export, and the instance only a few at once', () => {
    const exports = new ExportsInProgress(2);
    const lena = exports.tryStart('lena');
    expect(lena).not.toBeNull();
    expect(exports.tryStart('lena')).toBeNull();
    const jonas = exports.tryStart('jonas');
    expect(jonas).not.toBeNull();
    // Two run: Petra waits, whoever she is.
    expect(exports.tryStart('petra')).toBeNull();
    lena!();
    lena!();
    expect(exports.tryStart('petra')).not.toBeNull();
    expect(exports.tryStart('lena')).toBeNull();
    jonas!();
    expect(exports.tryStart('lena')).not.toBeNull();
  });
});
