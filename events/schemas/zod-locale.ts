/**
 * zod/mini loads no locale (classic loads English when it is imported): the event schemas import
 * this for its side effect so that parsing one gives zod's English messages, as classic did. The
 * same one-line config as shared/schemas/zod-locale.ts, kept here because events/ imports
 * nothing of the project; zod's config is global, so running it twice is harmless.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
