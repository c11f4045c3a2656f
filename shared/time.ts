/** The one clock handlers read. Tests running in-process may replace `now` to move time. */
export const clock = {
  now: (): Date => new Date(),
};
