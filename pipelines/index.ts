import type { Pipeline } from '../src/pipeline/types.js';
import { nightly } from './nightly.js';
import { weekly } from './weekly.js';
import { monthly } from './monthly.js';

export const pipelines: Record<string, Pipeline> = { nightly, weekly, monthly };
export { nightly, weekly, monthly };
