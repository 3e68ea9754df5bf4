// The benchmark's one statistic, shared by its parts (bench.mjs, mirror-fetch.mjs, lighthouse.mjs).

/** The median of `xs` (the mean of the middle two when their number is even). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
