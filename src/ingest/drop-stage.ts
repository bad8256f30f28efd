import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const ingestDropStage: Stage = {
  name: 'ingest',
  description: 'load new export files from the drop folder',
  async run() {
    throw new Error('stage ingest is not built yet');
  },
};
