import { isHighSurrogate, isLowSurrogate } from "./limits.js";

/**
 * A word here is a maximal run of the characters [\p{L}\p{M}\p{N}_]; one holding a decimal digit
 * (\p{Nd}) is an amount, date, id or account number. Found on the raw text rather than per wink
 * token, because wink splits "1234abc" into "1234" + "abc" and the letters of such a run are no word
 * either.
 */
const anyDigit = /\p{Nd}/u;
const wordCharacter = /[\p{L}\p{M}\p{N}_]/u;
/** Characters that are not letters (or combining marks): hyphens, apostrophes, dots inside words. */
const nonLetters = /[^\p{L}\p{M}]+/gu;
/** CFPB redaction: a run of x's once separators are gone ("XXXX", "xx", "XXXX-XXXX"). */
const redaction = /^x{2,}$/;

const other = 1;
const word = 2;
const digit = 3;
/** Each BMP code point's kind (other, word, digit); 0 until first asked, then the regex classes' answer. */
const kinds = new Uint8Array(0x10000);

function kindOf(codePoint: number): number {
  const known = codePoint < 0x10000 ? kinds[codePoint]! : 0;
  if (known !== 0) return known;
  const character = String.fromCodePoint(codePoint);
  const kind = anyDigit.test(character) ? digit : wordCharacter.test(character) ? word : other;
  if (codePoint < 0x10000) kinds[codePoint] = kind;
  return kind;
}

/** Finds the next digit from `lastIndex` (code points, so a digit outside the BMP is found too). */
const nextDigit = /\p{Nd}/gu;

/**
 * Replaces every word holding a digit with a space, so its neighbours stay separate words. The same
 * string as replacing /(?<![\p{L}\p{M}\p{N}_])[\p{L}\p{M}\p{N}_]*\p{Nd}[\p{L}\p{M}\p{N}_]*\/gu
 * with " " (checked on the whole panel by test/data/preprocess-fast-path.test.ts). That regex was a
 * tenth of the serving preprocessor's time; a pass by code point over the whole text still cost as
 * much as the rest of `prepareText` (5.7–10 µs on a generated ticket). So the regex engine jumps
 * from digit to digit, and only each digit's word is read, grown by code point to both sides.
 */
export function withoutDigitWords(text: string): string {
  let result = "";
  let copied = 0;
  nextDigit.lastIndex = 0;
  while (nextDigit.test(text)) {
    const afterDigit = nextDigit.lastIndex;
    let from = afterDigit - (afterDigit >= 2 && isLowSurrogate(text.charCodeAt(afterDigit - 1)) ? 2 : 1);
    while (from > 0) {
      const low = text.charCodeAt(from - 1);
      const pair = isLowSurrogate(low) && from >= 2 && isHighSurrogate(text.charCodeAt(from - 2));
      if (kindOf(pair ? text.codePointAt(from - 2)! : low) === other) break;
      from -= pair ? 2 : 1;
    }
    let to = afterDigit;
    while (to < text.length) {
      const code = text.codePointAt(to)!;
      if (kindOf(code) === other) break;
      to += code > 0xffff ? 2 : 1;
    }
    result += `${text.slice(copied, from)} `;
    copied = to;
    nextDigit.lastIndex = to;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** Lower-cased letters only: "E-mail" → "email", "co-signer" → "cosigner". */
export function lettersOnly(token: string): string {
  return token.toLowerCase().replace(nonLetters, "");
}

/** Expects the output of `lettersOnly`. */
export function isRedaction(letters: string): boolean {
  return redaction.test(letters);
}
