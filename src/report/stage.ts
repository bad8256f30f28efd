import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const reportStage: Stage = {
  name: 'report',
  description: 'the monthly leadership report (HTML and Markdown)',
  async run() {
    throw new Error('stage report is not built yet');
  },
};
