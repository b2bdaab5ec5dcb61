// A progress bar on a terminal (stderr), plain lines otherwise. Status changes print as lines above
// the bar; the bar redraws at most ten times a second.
import type { EngineEvent } from '../engine/events';
import type { CliIo } from './io';
import { processIo, writeTo } from './io';
import { bytes, label } from './format';

export interface ProgressView {
  onEvent(e: EngineEvent): void;
  /** Clears the bar before the summary prints. */
  done(): void;
}

/** True when the command writes to a real terminal (never for captured test output). */
export function isTerminal(io: CliIo): boolean {
  return io === processIo && process.stderr.isTTY === true;
}

export function progressView(io: CliIo, quiet: boolean): ProgressView {
  const tty = isTerminal(io);
  const perItem = new Map<string, { done: number; total: number; bytes: number }>();
  const statuses = new Map<string, string>();
  const active = new Set(['AnalysisStarted', 'InProgress', 'ResyncStarted']);
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) writeTo('err', '\r\x1b[2K');
    drawn = false;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!tty || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    let done = 0;
    let total = 0;
    let moved = 0;
    for (const p of perItem.values()) {
      done += p.done;
      total += p.total;
      moved += p.bytes;
    }
    const ratio = total ? Math.min(1, done / total) : 0;
    const width = 30;
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
    const cols = process.stderr.columns ?? 100;
    const running = [...statuses.values()].filter((s) => active.has(s)).length;
    const text = `[${bar}] ${Math.floor(ratio * 100)}% ${done}/${total} items, ${bytes(moved)}, ${running} mailbox${running === 1 ? '' : 'es'} running`;
    writeTo('err', `\r\x1b[2K${text.slice(0, cols - 1)}`);
    drawn = true;
  };
  const line = (text: string) => {
    if (quiet) return;
    clear();
    io.err(text);
    draw(true);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'itemStatus': {
          statuses.set(`${e.batch}\u0000${e.item}`, e.status);
          if (e.status === 'Queued' || active.has(e.status)) return draw();
          line(`[${e.batch}] ${e.item}: ${label(e.status)}${e.code ? ` (${e.code}: ${e.message})` : ''}`);
          return;
        }
        case 'progress':
          perItem.set(`${e.batch}\u0000${e.item}`, { done: e.itemsDone, total: e.itemsTotal, bytes: e.bytesDone });
          return draw();
        case 'error':
          return line(`[${e.batch}] ${e.item}: ${e.code} ${e.message}${e.folder ? ` (folder ${e.folder})` : ''}`);
        case 'notice':
          return line(`[${e.batch}] ${e.item}: note ${e.code} ${e.message}`);
        default:
          return;
      }
    },
    done() {
      draw(true);
      clear();
    },
  };
}
