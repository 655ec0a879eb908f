import { describe, expect, it } from 'vitest';
import { compileGlob, compileMatch, matchesRequest } from './match.js';

describe('compileGlob', () => {
  it('matches literal paths exactly, anchored at both ends', () => {
    const re = compileGlob('/api/v3/order');
    expect(re.test('/api/v3/order')).toBe(true);
    expect(re.test('/api/v3/order/test')).toBe(false);
    expect(re.test('/x/api/v3/order')).toBe(false);
    expect(re.test('/api/v3/orders')).toBe(false);
  });

  it('lets * match within one segment and ** across segments', () => {
    expect(compileGlob('/api/v3/*').test('/api/v3/order')).toBe(true);
    expect(compileGlob('/api/v3/*').test('/api/v3/')).toBe(true);
    expect(compileGlob('/api/v3/*').test('/api/v3/order/test')).toBe(false);
    expect(compileGlob('/api/**').test('/api/v3/order/test')).toBe(true);
    expect(compileGlob('/**/order').test('/api/v3/order')).toBe(true);
    expect(compileGlob('/api/*/order').test('/api/v3/order')).toBe(true);
    expect(compileGlob('/api/*/order').test('/api/v3/x/order')).toBe(false);
  });

  it('lets ? match exactly one character other than /', () => {
    const re = compileGlob('/api/v?/time');
    expect(re.test('/api/v3/time')).toBe(true);
    expect(re.test('/api/v33/time')).toBe(false);
    expect(re.test('/api/v//time')).toBe(false);
  });

  it('treats RegExp characters literally', () => {
    const re = compileGlob('/a.b+(c)[d]{1}|$^\\');
    expect(re.test('/a.b+(c)[d]{1}|$^\\')).toBe(true);
    expect(re.test('/aXb+(c)[d]{1}|$^\\')).toBe(false);
    expect(compileGlob('/a.b').test('/axb')).toBe(false);
  });
});

describe('compileMatch', () => {
  it('is undefined without a matcher or with an empty one', () => {
    expect(compileMatch()).toBeUndefined();
    expect(compileMatch({})).toBeUndefined();
  });

  it('compiles the method anchored and case-insensitive', () => {
    const match = compileMatch({ method: 'POST' })!;
    expect(match.method!.test('POST')).toBe(true);
    expect(match.method!.test('post')).toBe(true);
    expect(match.method!.test('POSTX')).toBe(false);
    expect(match.path).toBeUndefined();
  });

  it('combines method and path', () => {
    const match = compileMatch({ method: 'POST', path: '/api/v3/order' });
    expect(matchesRequest(match, 'POST', '/api/v3/order')).toBe(true);
    expect(matchesRequest(match, 'GET', '/api/v3/order')).toBe(false);
    expect(matchesRequest(match, 'POST', '/api/v3/openOrders')).toBe(false);
    expect(matchesRequest(undefined, 'GET', '/anything')).toBe(true);
  });
});
