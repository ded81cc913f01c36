/**
 * A run of word characters holding a decimal digit: an amount, date, id or account number. Matched
 * on the raw text rather than per wink token, because wink splits "1234abc" into "1234" + "abc" and
 * the letters of such a run are no word either.
 */
// Matches can only start where a word starts, and the lookbehind says so: without it the engine retries
// from every character of every digit-free word (quadratic in word length).
const wordWithDigit = /(?<![\p{L}\p{M}\p{N}_])[\p{L}\p{M}\p{N}_]*\p{Nd}[\p{L}\p{M}\p{N}_]*/gu;
const anyDigit = /\p{Nd}/u;
/** Characters that are not letters (or combining marks): hyphens, apostrophes, dots inside words. */
const nonLetters = /[^\p{L}\p{M}]+/gu;
/** CFPB redaction: a run of x's once separators are gone ("XXXX", "xx", "XXXX-XXXX"). */
const redaction = /^x{2,}$/;

/** Replaces every word holding a digit with a space, so its neighbours stay separate words. */
export function withoutDigitWords(text: string): string {
  return anyDigit.test(text) ? text.replace(wordWithDigit, " ") : text;
}

/** Lower-cased letters only: "E-mail" → "email", "co-signer" → "cosigner". */
export function lettersOnly(token: string): string {
  return token.toLowerCase().replace(nonLetters, "");
}

/** Expects the output of `lettersOnly`. */
export function isRedaction(letters: string): boolean {
  return redaction.test(letters);
}
