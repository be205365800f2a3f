import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charDirection, documentLanguage, dominantDirection, languageDirection, paragraphLanguage } from '../../shared/direction';
import { REPO_ROOT, SAMPLES_DIR } from './helpers';

const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'), 'utf8');
const ARABIC_NAME = 'وقال المتحدث باسم الخارجية الأمريكية Matthew Miller في بيان مقتضب إن الوزير سيلتقي الرئيس عبد الفتاح السيسي صباح الأربعاء';
const ENGLISH_QUOTE = '"We are closer than we have been in months, but the last steps are always the hardest," a senior US official told reporters.';

describe('languageDirection', () => {
  it('knows right-to-left languages by their script, with or without a region or script subtag', () => {
    expect(['ar', 'ar-EG', 'he', 'fa-IR', 'ur', 'az-Arab', 'yi'].map(languageDirection)).toEqual(Array(7).fill('rtl'));
    expect(['en', 'en-GB', 'fr', 'tr', 'az', 'ru'].map(languageDirection)).toEqual(Array(6).fill('ltr'));
  });

  it('says nothing for a missing or malformed tag', () => {
    expect(languageDirection(undefined)).toBeNull();
    expect(languageDirection('')).toBeNull();
    expect(languageDirection('not a tag!')).toBeNull();
  });
});

describe('dominantDirection and charDirection', () => {
  it('a Latin name inside an Arabic sentence does not turn it', () => {
    expect(dominantDirection(ARABIC_NAME)).toBe('rtl');
    expect(dominantDirection(ENGLISH_QUOTE)).toBe('ltr');
    expect(dominantDirection(CNN)).toBe('ltr');
    expect(dominantDirection('2024 — 12.5%')).toBeNull();
  });

  it('letters have a direction, digits run left to right, spaces and punctuation have none', () => {
    expect([...'بM٣3 «.'].map(charDirection)).toEqual(['rtl', 'ltr', 'ltr', 'ltr', null, null, null]);
  });
});

describe('documentLanguage and paragraphLanguage', () => {
  it('an Arabic article whose metadata says "ar" is rtl with lang ar; its English paragraph gets ltr and an unknown lang', () => {
    const html = readFileSync(path.join(REPO_ROOT, 'test/fixtures/rtl/arabic-news.html'), 'utf8');
    expect(documentLanguage('ar', html)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(paragraphLanguage(ENGLISH_QUOTE, 'rtl')).toEqual({ dir: 'ltr', lang: '' });
    expect(paragraphLanguage(ARABIC_NAME, 'rtl')).toBeNull();
  });

  it('without a language, Arabic text is rtl of unknown language and English text inherits', () => {
    expect(documentLanguage(undefined, ARABIC_NAME)).toEqual({ lang: '', dir: 'rtl' });
    expect(documentLanguage(undefined, CNN)).toEqual({ lang: undefined, dir: 'ltr' });
    expect(documentLanguage('en', CNN)).toEqual({ lang: 'en', dir: 'ltr' });
    expect(paragraphLanguage(ARABIC_NAME, 'ltr')).toEqual({ dir: 'rtl', lang: '' });
  });
});
