/** The header names the room and says ROOM OFFLINE / ROOM BACKLOG n (SPEC §10.1), at 80 columns too. */
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { setRoomHeader } from '../../src/store/store.js';
import { renderConsole } from '../helpers/ink.js';

describe('header: the room on NATS', () => {
  it('people on the sources line; OFFLINE and BACKLOG marks on the first line; nothing without a room', async () => {
    const ui = await renderConsole({ columns: 80, rows: 24 });
    await ui.flush();
    expect(ui.frame()).not.toMatch(/ROOM|room \d/);
    await act(async () => setRoomHeader(ui.store, { online: false, backlog: 0, people: 'room 0: ', dropped: 0 }));
    await ui.flush();
    expect(ui.frame().split('\n')[0]).toMatch(/ROOM OFFLINE/);
    await act(async () => setRoomHeader(ui.store, { online: true, backlog: 3, people: 'room 3: alice* bob carol(ro)', dropped: 2 }));
    await ui.flush();
    const [line1, line2] = ui.frame().split('\n');
    expect(line1).toMatch(/ROOM BACKLOG 3/);
    expect(line1).not.toMatch(/OFFLINE/);
    expect(line2).toMatch(/^room 3: alice\* bob carol\(ro\) \(2 dropped\)  sources /);
    await act(async () => setRoomHeader(ui.store, { online: true, backlog: 0, people: 'room 3: alice* bob carol(ro)', dropped: 2 }));
    await ui.flush();
    expect(ui.frame().split('\n')[0]).not.toMatch(/ROOM/);
    ui.unmount();
  });
});
