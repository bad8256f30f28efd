import type { Stage } from '../store/stage.js';
import { generateItems } from './generate.js';

/** Monthly: the chosen topic's items and the current hotspots' items, routed to grid, street and unit recipients. */
export const assignStage: Stage = {
  name: 'assign',
  description: 'assignment lists per grid, street and unit for the chosen topic and hotspots',
  async run(ctx) {
    return generateItems(ctx, { topics: true, hotspots: true });
  },
};
