import { describe, expect, it } from 'vitest';
import { pageSite, pageTitle } from '../../../src/core/load/page-title.ts';

describe('pageTitle (issue 23)', () => {
  it('drops the site suffix of <title> and keeps the site as the publisher', () => {
    expect(pageTitle('Les vignes gèlent dans la vallée | Journal A', undefined)).toBe(
      'Les vignes gèlent dans la vallée',
    );
    expect(pageSite('Les vignes gèlent dans la vallée | Journal A')).toBe('Journal A');
  });

  it('prefers the <h1> when <title> is only a label or a shorter form of it', () => {
    expect(pageTitle('Vignes | Journal A', 'Les vignes gèlent dans la vallée')).toBe(
      'Les vignes gèlent dans la vallée',
    );
    expect(pageTitle('Budget vote delayed again', 'Journal A')).toBe('Budget vote delayed again');
    expect(pageTitle(undefined, 'Neue Radwege am Ring')).toBe('Neue Radwege am Ring');
  });
});
