/**
 * zod/mini loads no locale (classic loads English when it is imported): without one, zod's own
 * messages that validation.ts passes through (a discriminated union's "Invalid discriminator
 * value. Expected …", a too-small array's "Too small: …") would read "Invalid input". Every
 * zod/mini schema module imports this for its side effect, so whatever parses one of its schemas
 * gets the same English messages as classic gave. One locale (≈2.7 KB), not the whole set that
 * `import { z } from 'zod'` pulls. The config is zod core's, shared by classic and mini.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
