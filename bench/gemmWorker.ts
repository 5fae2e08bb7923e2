// A benchmark worker: its own kernel instance and its share of the rows of one GEMM case.
import { parentPort } from 'node:worker_threads';
import { loadWasmKernel } from '../src/kernel/loadWasmKernel.js';
import { GemmCase, type GemmShape, type GemmVariant } from './gemmCase.js';

type Request = { op: 'init'; module: WebAssembly.Module; variant: GemmVariant; shape: GemmShape; seed: number } | { op: 'restore' } | { op: 'run' } | { op: 'check' };

const port = parentPort!;
let gemmCase: GemmCase | undefined;
port.on('message', async (req: Request) => {
  try {
    if (req.op === 'init') gemmCase = new GemmCase(await loadWasmKernel(req.module), req.variant, req.shape, req.seed);
    else if (req.op === 'restore') gemmCase!.restore();
    else if (req.op === 'run') gemmCase!.run();
    else gemmCase!.check();
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, error: String(error) });
  }
});
