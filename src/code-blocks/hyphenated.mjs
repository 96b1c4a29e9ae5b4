// What both code plugins keep whole on a wrapped line (whole-options.mjs in shell blocks,
// inline-words.mjs in inline code): a word with a hyphen in it, no space, short enough to fit
// a row of the narrow lesson column; a longer one (a join token) may still break anywhere.
const LONGEST = 32;

/** @param {string} word */
export const keepWhole = (word) => word.includes('-') && !/\s/.test(word) && word.length <= LONGEST;
