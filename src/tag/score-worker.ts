/**
 * A scoring worker (worker_threads): builds the same tagger as the main thread from the stage's inputs and the
 * serialized trained evidence, then scores packed batches (see score-batch.ts) and sends the typed results back
 * without copying. UTF-8 decoding happens here too, so it runs in parallel with everything else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scoreBatch, Utf8Decoder, type PackedBatch, type ScoredBatch } from './score-batch.js';
import { taggerFromParts, type TaggerParts } from './tagger.js';

export interface WorkerInit {
  parts: TaggerParts;
  categories: string[];
}

const init = workerData as WorkerInit;
const tagger = taggerFromParts(init.parts);
const decoder = new Utf8Decoder();

parentPort!.on('message', (msg: { id: number; batch: PackedBatch }) => {
  const r: ScoredBatch = scoreBatch(tagger, init.categories, msg.batch, decoder);
  parentPort!.postMessage({ id: msg.id, result: r }, [
    r.row.buffer,
    r.tag.buffer,
    r.confidence.buffer,
    r.sources.buffer,
    r.scope.buffer,
  ] as ArrayBuffer[]);
});
