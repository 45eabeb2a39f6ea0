/** Plays a `--record` file back into a read-only store at `speed`, on the recording's own timeline. */
import type { Clock } from '../core/clock.js';
import { scaledClock } from '../core/clock.js';
import type { FeedMessage } from '../feed/protocol.js';
import { PacedLoop } from '../runtime/pacedLoop.js';
import type { PollOutcome } from '../runtime/poller.js';
import { createWarroomStore, type WarroomStore } from '../store/store.js';
import type { Config } from '../config/types.js';
import { feedEventLine } from './feedEvents.js';
import type { RecordLine } from './recording.js';
import { oneLine } from '../util/sanitize.js';

export class Replayer {
  readonly store: WarroomStore;
  readonly clock: Clock;
  private readonly live: PacedLoop;
  private timers: NodeJS.Timeout[] = [];
  private lastStatus = new Map<string, string>();
  private readonly t0: number;

  constructor(
    config: Config,
    private readonly lines: RecordLine[],
    private readonly speed: number,
  ) {
    this.t0 = lines[0]?.t ?? Date.now();
    this.clock = scaledClock(speed, this.t0);
    this.store = createWarroomStore({ config, actor: 'replay', now: this.t0, readOnly: true, mode: 'replay' });
    this.live = new PacedLoop(this.store, this.clock);
  }

  start(onDone?: () => void): void {
    this.live.start();
    for (const l of this.lines) {
      const t = setTimeout(() => this.apply(l), Math.max(0, (l.t - this.t0) / this.speed));
      this.timers.push(t);
    }
    const endAt = ((this.lines.at(-1)?.t ?? this.t0) - this.t0) / this.speed;
    this.timers.push(
      setTimeout(() => {
        this.live.event({ kind: 'system', level: 'info', text: 'replay finished (q quits)' });
        onDone?.();
      }, endAt + 10),
    );
  }

  apply(l: RecordLine): void {
    switch (l.kind) {
      case 'sample':
        this.live.ingest(l.data as PollOutcome);
        break;
      case 'feed': {
        const line = feedEventLine((l.data as { msg: FeedMessage }).msg, this.lastStatus);
        if (line) this.live.event({ ...line, at: l.t });
        break;
      }
      default:
        this.live.event({ kind: l.kind === 'decision' ? 'decision' : 'action', level: 'info', at: l.t, text: `recorded ${l.kind}: ${oneLine(JSON.stringify(l.data), 300)}` });
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.live.stop();
  }
}
