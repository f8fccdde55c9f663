import { describe, expect, it } from 'vitest';
import { markArtefactsInHtml, markArtefactsInText } from '../../../src/core/normalise/mark-artefacts.ts';

describe('machine-translation artefacts are published marked', () => {
  it('marks every XNUMX token in the item language, and nothing else', () => {
    expect(markArtefactsInHtml('<p>au cours des dernières XNUMX heures, XNUMX fois</p>', 'fr')).toBe(
      '<p>au cours des dernières <mark>XNUMX [nombre perdu par la traduction automatique]</mark> heures, <mark>XNUMX [nombre perdu par la traduction automatique]</mark> fois</p>',
    );
    expect(markArtefactsInText('in the last XNUMX hours', 'en-GB')).toBe(
      'in the last XNUMX [number lost in machine translation] hours',
    );
    expect(markArtefactsInHtml('<p>XNUMXS and 24 hours</p>', 'fr')).toBe('<p>XNUMXS and 24 hours</p>');
  });
});
