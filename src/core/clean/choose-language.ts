/**
 * Which language the cleaner judges an article in: the detector's answer or the page's stated
 * language (`<html lang>`, `lang:`), whichever the text's own function words support better.
 * Input: the detection sample, the detected code, the stated code (ISO 639-1, may be absent).
 * Output: the code to use and why.
 *
 * Why: a short or mixed page is sometimes guessed as a rare language; that language's stopword
 * list (or none) then finds no function words and marks the whole article low-value. The stated
 * language wins when its function-word share of the sample is at least the detected one's.
 *
 * Must not: detect (detect-language.ts does) or parse tags (normalise-language.ts does).
 */
import { stopwordDensity } from './stopwords.ts';

export function chooseLanguage(
  sample: string,
  detected: string,
  stated: string | undefined,
): { language: string; rule: 'detected' | 'stated-language' } {
  if (!stated || stated === detected) return { language: detected, rule: 'detected' };
  const statedShare = stopwordDensity(sample, stated);
  if (statedShare === null || statedShare === 0) return { language: detected, rule: 'detected' };
  const detectedShare = stopwordDensity(sample, detected) ?? 0;
  return statedShare >= detectedShare
    ? { language: stated, rule: 'stated-language' }
    : { language: detected, rule: 'detected' };
}
