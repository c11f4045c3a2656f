/** The path of a problem page: one of the problem kinds (an unknown slug is 404). */
import * as z from 'zod/mini';
import './zod-locale.js';
import { PROBLEM_KINDS, type ProblemKind } from '../http/problem.js';

export const ProblemSlugParams = z.object({
  slug: z.enum(Object.keys(PROBLEM_KINDS) as [ProblemKind, ...ProblemKind[]]),
});
