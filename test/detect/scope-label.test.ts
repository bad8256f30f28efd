import { describe, expect, it } from 'vitest';
import { scopeLabel } from '../../src/detect/compute.js';

describe('an alert names a street with its district', () => {
  it('runs Chinese names together and keeps a space between Latin ones', () => {
    expect(scopeLabel({ scopeLevel: 'street', district: '高新区', scopeName: '解放街道' })).toBe('高新区解放街道');
    expect(scopeLabel({ scopeLevel: 'street', district: 'Allston / Brighton', scopeName: 'Ward 22' })).toBe(
      'Allston / Brighton Ward 22',
    );
    expect(scopeLabel({ scopeLevel: 'district', district: 'Dorchester', scopeName: 'Dorchester' })).toBe('Dorchester');
  });
});
