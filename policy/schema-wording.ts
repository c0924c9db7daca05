/** How schema problems show values and name types. */

/** A value as JSON, cut to 60 characters. */
export const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
